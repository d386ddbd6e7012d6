# gilkit-test: as: dir
# gilkit-test: args: x y
# `run DIR` runs DIR/__main__.py, with DIR first on sys.path.
import sys, os
print("in __main__ of a directory", __name__, os.path.basename(__file__))
print(os.path.basename(sys.argv[0]), sys.argv[1:], os.path.basename(sys.path[0]))
