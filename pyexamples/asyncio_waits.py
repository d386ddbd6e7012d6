# The article's third technique for I/O: asyncio runs many waits in ONE
# thread, overlapping them without threads or the GIL being involved.
# Usage: python asyncio_waits.py [TASKS] [SECONDS]   (default 4 0.2)
import asyncio
import sys
import time

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2


async def main():
    await asyncio.gather(*(asyncio.sleep(SECONDS) for _ in range(TASKS)))


if __name__ == "__main__":
    start = time.time()
    asyncio.run(main())
    end = time.time()
    print(f"{TASKS} waits of {SECONDS} s with asyncio took {end - start:.3f} s")
