# gilkit-test: env: PYTHONFAULTHANDLER=1
# A segmentation fault with faulthandler on: its report, then killed by SIGSEGV.
import ctypes
print("about to crash", flush=True)
ctypes.string_at(0)
