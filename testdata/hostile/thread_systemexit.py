# SystemExit in a thread ends only that thread, silently.
import threading, sys
t = threading.Thread(target=lambda: sys.exit(3))
t.start(); t.join()
print("main still here")
