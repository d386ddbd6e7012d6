# The article's countdown split over two processes with multiprocessing.Pool:
# each process has its own interpreter and GIL, so they run in parallel.
# Usage: python countdown_multiprocessing.py [COUNT]   (default 50,000,000)
import sys
import time
from multiprocessing import Pool

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000_000


def countdown(n):
    while n > 0:
        n -= 1


if __name__ == "__main__":
    pool = Pool(processes=2)
    start = time.time()
    r1 = pool.apply_async(countdown, [COUNT // 2])
    r2 = pool.apply_async(countdown, [COUNT // 2])
    pool.close()
    pool.join()
    r1.get()
    r2.get()
    end = time.time()
    print("Time taken in seconds -", end - start)
