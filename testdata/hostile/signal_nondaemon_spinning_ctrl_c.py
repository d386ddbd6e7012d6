# Ctrl-C while python waits for a spinning non-daemon thread at exit.
import threading, sys
def spin():
    while True:
        pass
threading.Thread(target=spin).start()
print("@@signal SIGINT in 500ms", flush=True)
