# raise KeyboardInterrupt: traceback, then python ends by SIGINT.
import atexit
atexit.register(lambda: print("atexit ran"))
print("before")
raise KeyboardInterrupt
