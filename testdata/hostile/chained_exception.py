# Chained tracebacks: "During handling..." and "The above exception...".
try:
    {}["missing"]
except KeyError as e:
    try:
        1 / 0
    except ZeroDivisionError:
        raise RuntimeError("wrapped") from e
