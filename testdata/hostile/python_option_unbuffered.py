# gilkit-test: python-args: -u
import sys, os
print("u", sys.stdout.write_through)
os._exit(3)
