# The script runs on the main thread; new threads are not daemons.
import threading
t = threading.Thread(target=lambda: None)
print(threading.current_thread().name, threading.current_thread() is threading.main_thread())
print("daemon by default:", t.daemon)
t.start(); t.join()
