# str() of a 200,000-deep dict: RecursionError, not a crash (needs a big C stack).
d = cur = {}
for _ in range(200_000):
    cur["k"] = cur = {}
try:
    str(d)
except RecursionError as e:
    print("RecursionError:", e)
