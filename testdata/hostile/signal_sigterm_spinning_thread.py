# SIGTERM while python waits for a spinning non-daemon thread at exit:
# the default action ends the process at once.
import threading
def spin():
    while True:
        pass
threading.Thread(target=spin).start()
print("@@signal SIGTERM in 500ms", flush=True)
