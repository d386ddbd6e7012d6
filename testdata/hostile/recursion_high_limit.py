# setrecursionlimit(10**6) and a deep recursion: a huge traceback, printed in time.
import sys
sys.setrecursionlimit(10**6)
def f(n):
    if n == 0:
        raise ValueError("bottom")
    return f(n - 1)
f(10_000)
