# gilkit-test: timeout: 3s
# gilkit-test: stdout: "waiting\n"
import threading
print("waiting")
threading.Event().wait()
