# gilkit-test: stdin: "first line\nsecond line\nlast"
import sys
for line in sys.stdin:
    print(repr(line))
