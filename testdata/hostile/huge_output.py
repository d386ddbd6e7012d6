# Several megabytes on stdout, in order.
import sys
for i in range(200_000):
    print(f"line {i:06d} " + "x" * 20)
print("done", file=sys.stderr)
