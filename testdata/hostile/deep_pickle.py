# pickle of a deeply nested structure.
import pickle
x = None
for _ in range(100_000):
    x = (x,)
try:
    pickle.dumps(x)
    print("pickled")
except RecursionError as e:
    print("RecursionError:", e)
