# Unbounded Python recursion: RecursionError, "[Previous line repeated ...]".
def f(n):
    return f(n + 1)
f(0)
