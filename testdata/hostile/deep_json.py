# json.dumps of a deeply nested list: RecursionError.
import json
x = []
for _ in range(100_000):
    x = [x]
try:
    json.dumps(x)
except RecursionError as e:
    print("RecursionError:", e)
