# os.abort(): killed by SIGABRT.
import os
print("aborting", flush=True)
os.abort()
