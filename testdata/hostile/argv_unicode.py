# gilkit-test: args: héllo wörld ☃ --flag
# Non-ASCII arguments reach sys.argv unchanged.
import sys
print(sys.argv[1:])
