# gilkit-test: ulimit-s: unlimited
# The same under `ulimit -s unlimited`, where a plain thread gets only 2 MB.
d = cur = {}
for _ in range(200_000):
    cur["k"] = cur = {}
try:
    str(d)
except RecursionError as e:
    print("RecursionError:", e)
