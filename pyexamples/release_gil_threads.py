# C code that releases the GIL runs in parallel even with a GIL: hashlib
# drops it while hashing buffers larger than 2 KiB, so two threads hashing
# take about as long as one hashing half as much.
# Usage: python release_gil_threads.py [MEBIBYTES]   (default 256)
import hashlib
import sys
import time
from threading import Thread

MIB = int(sys.argv[1]) if len(sys.argv) > 1 else 256
BUF = b"\x00" * (1 << 20)


def hash_mib(n):
    h = hashlib.sha256()
    for _ in range(n):
        h.update(BUF)
    return h.hexdigest()


if __name__ == "__main__":
    start = time.time()
    hash_mib(MIB)
    one = time.time() - start

    threads = [Thread(target=hash_mib, args=(MIB // 2,)) for _ in range(2)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    two = time.time() - start
    print(f"sha256 of {MIB} MiB: one thread {one:.3f} s, two threads {two:.3f} s, speedup {one / two:.2f}x")
