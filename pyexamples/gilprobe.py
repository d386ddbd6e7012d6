"""GIL probes: while N Python threads run CPU-bound code, how long does a
thread wait to run Python again, and how many I/O round trips does an
I/O-bound thread still make?

gilctl probe runs these in the embedded interpreter (where a goroutine
attaching through embed is probed too). They run under a plain python3
as well, which is how to compare gilctl with plain python:

    python3 gilprobe.py latency --cpu-threads 0,1,2,4
    python3 gilprobe.py latency --cpu-threads 1 --switch-interval 0.05
    python3 gilprobe.py io --cpu-threads 0,1,2,4
"""

import argparse
import random
import socket
import subprocess
import sys
import threading
import time

perf_counter = time.perf_counter


def noop():
    """What the goroutine probe calls: the wait is in getting to run it."""


def _spin(state, ready):
    ready.wait()
    while not state["stop"]:
        n = 20_000  # ~0.5 ms of work between looks at the flag
        while n > 0:
            n -= 1


class CPULoad:
    """n threads running a CPU-bound countdown until stop(), at the given
    switch interval (restored by stop())."""

    def __init__(self, n, switch_interval):
        self.old_interval = sys.getswitchinterval()
        sys.setswitchinterval(switch_interval)
        self.state = {"stop": False}
        ready = threading.Barrier(n + 1)
        self.threads = [threading.Thread(target=_spin, args=(self.state, ready), name=f"cpu-{i}", daemon=True) for i in range(n)]
        for t in self.threads:
            t.start()
        ready.wait()  # every thread is spinning (or about to) when the probe starts

    def stop(self):
        self.state["stop"] = True
        for t in self.threads:
            t.join()
        sys.setswitchinterval(self.old_interval)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def cpu_load(n, switch_interval):
    """Start n CPU-bound threads; call .stop() on the result."""
    return CPULoad(n, switch_interval)


def _in_thread(name, fn):
    """Run fn in a new Python thread, wait for it, return its result or
    raise what it raised."""
    out = []

    def run():
        try:
            out.append((fn(), None))
        except BaseException as e:
            out.append((None, e))

    t = threading.Thread(target=run, name=name)
    t.start()
    t.join()
    result, err = out[0]
    if err is not None:
        raise err
    return result


def probe_thread(duration, period, min_samples, seed=1):
    """A Python thread sleeps about period seconds again and again, for
    duration seconds and at least min_samples times; each sample is how
    much longer than asked a sleep took: the wait to run Python again after
    the sleep (it needs the GIL back on a GIL build), plus the operating
    system's timer slack (tens of microseconds)."""

    def run():
        out = []
        rnd = random.Random(seed)
        end = perf_counter() + duration
        while perf_counter() < end or len(out) < min_samples:
            d = period * rnd.uniform(0.5, 1.5)  # never in step with the switch interval
            t0 = perf_counter()
            time.sleep(d)
            out.append(max(0.0, perf_counter() - t0 - d))
        return out

    return _in_thread("probe", run)


def probe_io(port, duration):
    """An I/O-bound Python thread exchanges small messages with a loopback
    echo server for duration seconds; returns (round trips, seconds). Each
    recv() releases the GIL while it waits; on a GIL build the thread must
    win it back from the CPU-bound threads before it can send again."""

    def run():
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            n = 0
            t0 = perf_counter()
            end = t0 + duration
            while perf_counter() < end:
                s.sendall(b"ping\n")
                got = b""
                while not got.endswith(b"\n"):
                    chunk = s.recv(64)
                    if not chunk:
                        raise ConnectionError("the echo server closed the connection")
                    got += chunk
                n += 1
            return n, perf_counter() - t0

    return _in_thread("io-probe", run)


ECHO_SERVER = """
import socket, sys, time
delay = float(sys.argv[1])
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
while True:
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with conn, conn.makefile("rb") as f:
        for line in f:
            if delay:
                time.sleep(delay)
            conn.sendall(line)
"""


def echo_server_process(delay):
    """An echo server in a process of its own (so that it never waits for
    this process's GIL); returns (process, port). gilctl uses a Go server."""
    p = subprocess.Popen([sys.executable, "-c", ECHO_SERVER, str(delay)], stdout=subprocess.PIPE, text=True)
    return p, int(p.stdout.readline())


def percentile(sorted_xs, q):
    """Nearest-rank percentile, as gilctl computes it."""
    import math

    return sorted_xs[min(len(sorted_xs), max(1, math.ceil(q * len(sorted_xs)))) - 1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("probe", choices=["latency", "io"])
    ap.add_argument("--cpu-threads", default="0,1,2,4", help="CPU-bound thread counts (default 0,1,2,4)")
    ap.add_argument("--switch-interval", type=float, default=0.005, help="sys.setswitchinterval while probing (s)")
    ap.add_argument("--duration", type=float, default=1.0, help="seconds per thread count")
    ap.add_argument("--period", type=float, default=0.002, help="mean pause between latency samples (s)")
    ap.add_argument("--echo-delay", type=float, default=0.0001, help="the echo server's delay per message (s)")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.cpu_threads.split(",")]
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"Python {sys.version.split()[0]}, GIL {'on' if gil else 'off'}, switch interval {args.switch_interval * 1000:g} ms")
    if args.probe == "latency":
        for n in counts:
            with cpu_load(n, args.switch_interval):
                xs = sorted(probe_thread(args.duration, args.period, 20))
            p = [percentile(xs, q) * 1000 for q in (0.5, 0.9, 0.99)]
            print(f"{n} CPU threads: {len(xs)} samples, p50 {p[0]:.3f} ms, p90 {p[1]:.3f} ms, p99 {p[2]:.3f} ms, max {xs[-1] * 1000:.3f} ms")
        return
    server, port = echo_server_process(args.echo_delay)
    try:
        idle = None
        for n in counts:
            with cpu_load(n, args.switch_interval):
                trips, secs = probe_io(port, args.duration)
            rate = trips / secs
            idle = rate if n == 0 else idle
            share = f", {100 * rate / idle:.1f}% of idle" if idle else ""
            print(f"{n} CPU threads: {rate:,.0f} round trips/s{share}")
    finally:
        server.kill()


if __name__ == "__main__":
    main()
