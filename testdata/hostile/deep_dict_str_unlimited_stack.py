# gilkit-test: ulimit-s: unlimited
# The same under `ulimit -s unlimited`, where a plain thread gets only 2 MB.
# From 3.14 on CPython bounds C recursion by the real stack, which is then
# unbounded in python and 1 GiB in gilctl: the nesting is printed, in time
# quadratic in its depth, so 3.14+ nests less (still twice 3.13's limit).
import sys
depth = 200_000 if sys.version_info < (3, 14) else 20_000
d = cur = {}
for _ in range(depth):
    cur["k"] = cur = {}
try:
    print(len(str(d)))
except RecursionError as e:
    print("RecursionError:", e)
