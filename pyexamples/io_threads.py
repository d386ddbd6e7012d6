# I/O-bound work in threads: a thread waiting for I/O releases the GIL, so
# the waits overlap. Four 0.2 s sleeps take about 0.2 s in four threads.
# Usage: python io_threads.py [THREADS] [SECONDS]   (default 4 0.2)
import sys
import time
from threading import Thread

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2


def wait():
    time.sleep(SECONDS)


if __name__ == "__main__":
    threads = [Thread(target=wait) for _ in range(THREADS)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    end = time.time()
    print(f"{THREADS} waits of {SECONDS} s in threads took {end - start:.3f} s")
