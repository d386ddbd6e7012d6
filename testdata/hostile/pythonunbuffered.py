# gilkit-test: env: PYTHONUNBUFFERED=1
# With PYTHONUNBUFFERED output is written at once: os._exit loses nothing.
import os, sys
print("unbuffered", sys.stdout.write_through)
os._exit(0)
