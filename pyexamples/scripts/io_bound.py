"""An I/O-bound workload for `gilctl --script`: mostly waiting.

Each request reads a small file and waits 5 ms, as a call to a nearby
service would; both release the GIL while they wait. setup() runs once in
every interpreter or process that runs work(), before it is timed.

    bin/gilctl-3.12 compare --script pyexamples/scripts/io_bound.py --mode serial,threads
"""

import os
import tempfile
import time

REQUESTS = 16  # in total, over all workers
WAIT_S = 0.005
_file = os.path.join(tempfile.gettempdir(), f"gilkit-io-bound-{os.getuid()}.bin")


def setup():
    # One file for every process and run: written once, atomically.
    if not os.path.exists(_file):
        tmp = f"{_file}.{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(os.urandom(64 * 1024))
        os.replace(tmp, _file)


def work(i, n):
    for _ in range(i, REQUESTS, n):
        with open(_file, "rb") as f:
            f.read()
        time.sleep(WAIT_S)
