# gilkit-test: as: code
# gilkit-test: args: a1 a2
# `run -c CODE`: sys.argv[0] is "-c", sys.path[0] is "".
import sys
print(sys.argv, repr(sys.path[0]), __name__)
