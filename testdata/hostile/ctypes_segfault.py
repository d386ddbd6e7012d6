# A segmentation fault in C code: killed by SIGSEGV, as python.
import ctypes
print("about to crash", flush=True)
ctypes.string_at(0)
