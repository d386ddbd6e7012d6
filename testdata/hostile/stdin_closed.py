# gilkit-test: closed-fds: 0
# With fd 0 closed, sys.stdin is None and input() fails as in python.
import sys
print(sys.stdin)
input()
