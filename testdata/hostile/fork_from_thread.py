# fork() from a thread: the child runs that thread only.
import os, threading
def f():
    pid = os.fork()
    if pid == 0:
        print("child of a thread", flush=True)
        os._exit(2)
    _, st = os.waitpid(pid, 0)
    print("status", os.waitstatus_to_exitcode(st))
t = threading.Thread(target=f); t.start(); t.join()
