# faulthandler writes to fd 2 directly.
import faulthandler, sys
def f():
    faulthandler.dump_traceback(all_threads=False)
f()
