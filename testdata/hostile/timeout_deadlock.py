# gilkit-test: timeout: 3s
# gilkit-test: stdout: "deadlocking\n"
import threading
lock = threading.Lock()
lock.acquire()
print("deadlocking")
lock.acquire()
