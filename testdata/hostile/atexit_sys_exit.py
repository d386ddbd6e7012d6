# sys.exit inside an atexit handler.
import atexit, sys
atexit.register(lambda: sys.exit(8))
print("main done")
