# The article's countdown split over two threads. With a GIL the two threads
# take turns and the run is no faster (often slower) than one thread; on a
# free-threaded build with the GIL off they run in parallel.
# Usage: python countdown_threads.py [COUNT]   (default 50,000,000)
import sys
import time
from threading import Thread

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000_000


def countdown(n):
    while n > 0:
        n -= 1


if __name__ == "__main__":
    t1 = Thread(target=countdown, args=(COUNT // 2,))
    t2 = Thread(target=countdown, args=(COUNT // 2,))

    start = time.time()
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    end = time.time()
    print("Time taken in seconds -", end - start)
