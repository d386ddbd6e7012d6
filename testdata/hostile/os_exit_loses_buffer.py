# os._exit skips flushing: buffered output is lost, as in python.
import os
print("flushed", flush=True)
print("lost in the buffer")
os._exit(5)
