# int -> str conversion limit (PEP 651... 4300 digits): ValueError.
x = 10 ** 5000
try:
    print(str(x))
except ValueError as e:
    print("ValueError:", e)
