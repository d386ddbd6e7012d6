# gilkit-test: as: module
# gilkit-test: args: m1
# `run -m MODULE`: the module runs as __main__, argv[0] is its file.
import sys, os
print(__name__, os.path.basename(sys.argv[0]), sys.argv[1:])
print(__spec__.name)
