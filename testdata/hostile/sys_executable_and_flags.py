# sys.executable, sys.flags, sys.orig_argv as python's.
import sys, os
print(os.path.basename(sys.executable))
print(sys.flags)
print([os.path.basename(a) for a in sys.orig_argv])
print(sys.prefix == sys.base_prefix)
