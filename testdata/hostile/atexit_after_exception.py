# atexit handlers run after an uncaught exception's traceback.
import atexit
atexit.register(lambda: print("cleanup"))
raise KeyError("k")
