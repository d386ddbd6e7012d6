# gilkit-test: timeout: 1s
# gilkit-test: stdout: "waiting\n"
import threading
print("waiting")
threading.Event().wait()
