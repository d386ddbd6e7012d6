# fork() while another thread runs: python's DeprecationWarning.
import os, threading, time
ev = threading.Event()
t = threading.Thread(target=ev.wait); t.start()
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
ev.set(); t.join()
print("forked with a thread running")
