# Several megabytes on stderr.
import sys
for i in range(100_000):
    sys.stderr.write(f"err {i}\n")
