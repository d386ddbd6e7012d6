"""setup() starts a daemon thread: refused in an isolated subinterpreter
(which has its own GIL), fine everywhere else."""
import threading
import time


def setup():
    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()


def work(i, n):
    pass
