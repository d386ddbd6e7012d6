# An exception in a thread goes through threading.excepthook.
import threading
def boom():
    raise ValueError("in a thread")
t = threading.Thread(target=boom, name="worker-1")
t.start(); t.join()
print("main continues")
