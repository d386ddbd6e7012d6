"""The article's experiments as workloads that gilctl bench spreads over
serial code, threads, goroutines, processes and subinterpreters.

Each workload is a function share(params, index, workers) that does one
worker's part of the work. With strong scaling (the default, as in the
article) the total is split evenly across the workers; with weak scaling
(params["weak"]) every worker does the full amount.

Runs under a plain python3 too:

    python3 gilbench.py countdown threads 2 --count 5000000
    python3 gilbench.py release-sha256 serial 2
"""

import argparse
import asyncio
import hashlib
import os
import socket
import sys
import tempfile
import threading
import time
import zlib

DEFAULTS = {
    "count": 50_000_000,  # countdown iterations in total
    "io_ops": 16,  # I/O operations in total
    "sleep_s": 0.02,  # one sleep, or the echo server's delay per round trip
    "mib": 64,  # MiB hashed or compressed in total
    "numpy_n": 256,  # matrix size for numpy matmul
    "numpy_reps": 32,  # matmuls in total
    "weak": False,
    "port": 0,  # loopback echo server (io-socket); gilctl starts one
    "file": "",  # file read by io-file; created when empty
}


def amount(params, total, workers):
    """This worker's share of total."""
    return total if params.get("weak") else max(1, total // workers)


def countdown(n):
    while n > 0:
        n -= 1


def share_countdown(params, index, workers):
    countdown(amount(params, params["count"], workers))


def share_io_sleep(params, index, workers):
    for _ in range(amount(params, params["io_ops"], workers)):
        time.sleep(params["sleep_s"])


def share_io_socket(params, index, workers):
    # One round trip per op against a loopback echo server that waits
    # sleep_s before answering: the client thread blocks in recv().
    with socket.create_connection(("127.0.0.1", params["port"]), timeout=30) as s:
        f = s.makefile("rwb")
        for _ in range(amount(params, params["io_ops"], workers)):
            f.write(b"ping\n")
            f.flush()
            if f.readline() != b"ping\n":
                raise RuntimeError("echo server answered wrongly")


FILE_CHUNK = 1 << 20


def share_io_file(params, index, workers):
    # Reads of a page-cached file: read() releases the GIL while copying.
    for _ in range(amount(params, params["io_ops"], workers) * 4):
        with open(params["file"], "rb", buffering=0) as f:
            while f.read(FILE_CHUNK):
                pass


MIB = b"gilkit" * (FILE_CHUNK // 6) + b"gi" * 2


def share_release_sha256(params, index, workers):
    h = hashlib.sha256()
    for _ in range(amount(params, params["mib"], workers)):
        h.update(MIB)  # hashlib releases the GIL for buffers over 2 KiB
    return h.hexdigest()


def share_release_zlib(params, index, workers):
    for _ in range(amount(params, params["mib"], workers) // 4 or 1):
        zlib.compress(MIB, 6)  # zlib releases the GIL while compressing


def share_release_numpy(params, index, workers):
    import numpy

    n = params["numpy_n"]
    a = numpy.ones((n, n))
    for _ in range(amount(params, params["numpy_reps"], workers)):
        a @ a


def share_asyncio(params, index, workers):
    # The article's third technique: this worker's waits overlap in one
    # thread with asyncio.
    async def waits(k):
        await asyncio.gather(*(asyncio.sleep(params["sleep_s"]) for _ in range(k)))

    asyncio.run(waits(amount(params, params["io_ops"], workers)))


WORKLOADS = {
    "countdown": share_countdown,
    "io-sleep": share_io_sleep,
    "io-socket": share_io_socket,
    "io-file": share_io_file,
    "release-sha256": share_release_sha256,
    "release-zlib": share_release_zlib,
    "release-numpy": share_release_numpy,
    "asyncio": share_asyncio,
}


def unavailable(workload):
    """Why a workload cannot run here, or None."""
    if workload not in WORKLOADS:
        return f"unknown workload {workload!r}"
    if workload == "release-numpy":
        try:
            import numpy  # noqa: F401
        except Exception as e:  # ImportError, or a broken install
            return f"NumPy is not importable in this interpreter ({type(e).__name__}: {e})"
    return None


def share(workload, params, index, workers):
    """Run one worker's share; return (wall seconds, this thread's CPU seconds)."""
    fn = WORKLOADS[workload]
    c0, t0 = time.thread_time(), time.perf_counter()
    fn(params, index, workers)
    return time.perf_counter() - t0, time.thread_time() - c0


def run_serial(workload, params, workers):
    """All workers' shares one after another in this thread."""
    t0 = time.perf_counter()
    per = [share(workload, params, i, workers) for i in range(workers)]
    return time.perf_counter() - t0, per


def run_threads(workload, params, workers):
    """The article's way: one threading.Thread per worker, started together."""
    per = [None] * workers
    errors = []
    ready = threading.Barrier(workers + 1)

    def worker(i):
        ready.wait()
        try:
            per[i] = share(workload, params, i, workers)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    ready.wait()  # the clock starts when every thread is ready
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise errors[0]
    return wall, per


def _pid(_):
    return os.getpid()


def make_pool(workers):
    """A multiprocessing pool of started workers (spawn: never fork the host)."""
    import multiprocessing

    pool = multiprocessing.get_context("spawn").Pool(workers)
    # Wait until every worker process is up, so start-up is not timed.
    seen = set()
    while len(seen) < workers:
        seen.update(pool.map(_pid, range(workers * 4), chunksize=1))
    return pool


def run_processes(pool, workload, params, workers):
    """The article's multiprocessing.Pool: each share in its own process."""
    t0 = time.perf_counter()
    results = [pool.apply_async(share, (workload, params, i, workers)) for i in range(workers)]
    per = [r.get() for r in results]
    wall = time.perf_counter() - t0
    return wall, per


def echo_server(delay):
    """A loopback echo server that answers each line after delay seconds
    (for running this module on its own; gilctl uses a Go server)."""
    srv = socket.create_server(("127.0.0.1", 0))

    def serve(conn):
        with conn, conn.makefile("rwb") as f:
            for line in f:
                time.sleep(delay)
                f.write(line)
                f.flush()

    def accept():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1]


def scratch_file(mib=4):
    f = tempfile.NamedTemporaryFile(prefix="gilbench-", suffix=".bin", delete=False)
    with f:
        for _ in range(mib):
            f.write(MIB)
    return f.name


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workload", choices=sorted(WORKLOADS))
    ap.add_argument("mode", choices=["serial", "threads", "processes"])
    ap.add_argument("workers", type=int)
    ap.add_argument("--count", type=int, default=DEFAULTS["count"])
    ap.add_argument("--weak", action="store_true")
    args = ap.parse_args(argv)
    reason = unavailable(args.workload)
    if reason:
        print(f"skipped: {reason}")
        return
    params = dict(DEFAULTS, count=args.count, weak=args.weak)
    if args.workload == "io-socket":
        params["port"] = echo_server(params["sleep_s"])
    if args.workload == "io-file":
        params["file"] = scratch_file()
    if args.mode == "processes":
        with make_pool(args.workers) as pool:
            wall, per = run_processes(pool, args.workload, params, args.workers)
    else:
        wall, per = (run_serial if args.mode == "serial" else run_threads)(args.workload, params, args.workers)
    print(f"{args.workload} {args.mode} x{args.workers}: {wall:.3f} s")
    for i, (w, c) in enumerate(per):
        print(f"  worker {i}: wall {w:.3f} s, cpu {c:.3f} s")
    if params["file"]:
        os.unlink(params["file"])


if __name__ == "__main__":
    main()
