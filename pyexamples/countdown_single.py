# The article's CPU-bound countdown, single-threaded.
# Usage: python countdown_single.py [COUNT]   (default 50,000,000)
import sys
import time

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000_000


def countdown(n):
    while n > 0:
        n -= 1


if __name__ == "__main__":
    start = time.time()
    countdown(COUNT)
    end = time.time()
    print("Time taken in seconds -", end - start)
