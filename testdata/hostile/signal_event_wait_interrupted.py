# Ctrl-C interrupts Event().wait() on the main thread.
import threading
print("@@signal SIGINT in 500ms", flush=True)
threading.Event().wait()
