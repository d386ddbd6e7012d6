# gilkit-test: timeout: 3s
# gilkit-test: stdout: "matching\n"
import re
print("matching", flush=True)
re.match("(a+)+$", "a" * 40 + "b")
