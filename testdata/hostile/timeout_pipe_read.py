# gilkit-test: timeout: 3s
# gilkit-test: stdout: "reading\n"
import os
r, w = os.pipe()
print("reading")
os.read(r, 1)
