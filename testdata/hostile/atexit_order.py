# atexit handlers run last-in first-out; an exception in one is reported and the rest run.
import atexit
atexit.register(print, "registered first, runs last")
def bad():
    raise RuntimeError("atexit handler failed")
atexit.register(bad)
atexit.register(print, "registered last, runs first")
print("main done")
