"""Go code called from Python threads, through an extension module that gopy
(github.com/go-python/gopy) built from the Go package pyexamples/gopyext.
Run it under a plain python, never inside gilkit's embedded interpreter:
the extension carries its own Go runtime, and two Go runtimes must not meet
in one process.

It imports the extension, says what importing it did to the GIL
(sys._is_gil_enabled() before and after, and any warning CPython printed),
checks its results against Python (Countdown reaches 0; HashLoop equals the
same loop done with hashlib; bad arguments raise), then probes whether a call
releases the GIL: another Python thread keeps running during a Go call
(stalls of milliseconds) or stalls for the whole call, as it does during the
control sum(range(n)), C that holds the GIL; the same while the other thread
calls into Go too shows whether anything serializes Go calls. These probes
do not depend on how busy the machine is. Then it times the Go countdown
called from 1 and from 2 Python threads (2 threads count half each), interleaved run by run,
on worker threads for both (never the main thread, which is slower for
Python code), with the clock started once all threads are ready.

Next to it, as a control, it times hashlib's sha256 the same way: C code
known to release the GIL, so its speedup is what the machine offered two
threads at that moment (less than 2 when other processes are busy). It also
says how many cores other processes kept busy during the runs.

Usage: python gopy_threads.py [COUNT] [--mib M] [--runs N] [--json] [--module-dir DIR]
  COUNT         total Go countdown (default 250,000,000: ~0.36 s here)
  --mib M       total MiB the control hashes (default 256: ~0.3 s here)
  --runs N      counted runs per cell (default 5; one warm-up round first)
  --json        print one JSON object instead of text
  --module-dir  the build directory scripts/gopy.sh printed (it holds the
                Python package gopyext/); default $GILKIT_GOPY, else the
                newest build for this interpreter in gilkit's cache
                (~/.cache/gilkit/gopy/ext/X.Y[t]).
Build it first: `make gopy`, or scripts/gopy.sh NAME PREFIX.
Exit status: 0 ok; 1 a check failed; 2 the extension is not available.
"""
import argparse
import hashlib
import json
import os
import statistics
import sys
import sysconfig
import threading
import time
import warnings

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
NAME = f"{sys.version_info.major}.{sys.version_info.minor}" + ("t" if FREE_THREADED else "")


def gil_enabled():
    """sys._is_gil_enabled() where it exists (3.13+); True on a GIL build before 3.13."""
    f = getattr(sys, "_is_gil_enabled", None)
    return f() if f else True


def default_module_dir():
    if os.environ.get("GILKIT_GOPY"):
        return os.environ["GILKIT_GOPY"]
    cache = os.environ.get("GILKIT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gilkit"
    )
    return os.path.join(cache, "gopy", "ext", NAME)


def unavailable(reason):
    print(f"gopyext is not available for python {NAME} ({sys.executable}): {reason}", file=sys.stderr)
    sys.exit(2)


def plain_python():
    """Refuses to go on inside an embedding program (gilctl run, say): the
    extension brings its own Go runtime, and a second Go runtime in a Go
    program's process is not supported. In a plain python process the
    running binary is sys.executable."""
    try:
        exe = os.path.realpath("/proc/self/exe")
    except OSError:
        return  # not Linux: nothing to compare
    if sys.executable and exe != os.path.realpath(sys.executable):
        unavailable(
            f"this process is {exe}, not a plain python (an embedded interpreter?); the extension "
            "carries its own Go runtime, so run this file with python itself"
        )


def load(module_dir):
    """Imports gopyext from module_dir; returns (module, gil before, gil after, warnings)."""
    plain_python()
    error = os.path.join(module_dir, "error")
    if os.path.exists(error):
        with open(error) as f:
            unavailable("gopy could not build it:\n" + f.read().rstrip())
    if not os.path.isdir(os.path.join(module_dir, "gopyext")):
        unavailable(
            f"no build in {module_dir}; build it with `make gopy` "
            f"(or scripts/gopy.sh {NAME} {sys.base_prefix}), or pass --module-dir"
        )
    prefix_file = os.path.join(module_dir, "prefix")
    if os.path.exists(prefix_file):
        with open(prefix_file) as f:
            built_for = f.read().strip()
        if os.path.realpath(built_for) != os.path.realpath(sys.base_prefix):
            unavailable(f"{module_dir} was built for the python in {built_for}, not this one ({sys.base_prefix})")
    sys.path.insert(0, module_dir)
    before = gil_enabled()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            from gopyext import gopyext
        except ImportError as e:
            unavailable(f"importing it failed: {e!r}")
    after = gil_enabled()
    return gopyext, before, after, [f"{w.category.__name__}: {w.message}" for w in caught]


def python_hash_loop(seed, rounds):
    h = seed.encode()
    for _ in range(rounds):
        h = hashlib.sha256(h).digest()
    return h.hex()


def checks(gopyext):
    """Results against Python's; returns a list of (what, ok, detail)."""
    out = []
    for n, want in ((0, 0), (1, 0), (1000, 0), (10**7, 0), (-3, -3)):
        got = gopyext.Countdown(n)
        out.append((f"Countdown({n}) == {want}", got == want, f"got {got!r}"))
    # Bad arguments are Python exceptions raised before Go runs (gopy's C
    # wrapper parses them as a C long long), and the process goes on.
    for arg, exc in ((2**64, OverflowError), ("ten", TypeError)):
        try:
            got = gopyext.Countdown(arg)
            out.append((f"Countdown({arg!r}) raises {exc.__name__}", False, f"returned {got!r}"))
        except exc as e:
            out.append((f"Countdown({arg!r}) raises {exc.__name__}", True, str(e)))
        except Exception as e:  # noqa: BLE001 - any other exception is the finding
            out.append((f"Countdown({arg!r}) raises {exc.__name__}", False, f"raised {e!r}"))
    for seed, rounds in (("gilkit", 0), ("gilkit", 1), ("gilkit", 1000), ("", 3), ("nön-ascii ✓", 7)):
        got, want = gopyext.HashLoop(seed, rounds), python_hash_loop(seed, rounds)
        out.append((f"HashLoop({seed!r}, {rounds}) == hashlib's", got == want, f"got {got}, want {want}"))
    return out


def stall_probe(fn, args, meanwhile=None):
    """Calls fn(*args) in a worker thread while this thread keeps running
    Python code (and calls meanwhile() in its loop, if given), and returns (seconds the call took, this thread's longest
    stall meanwhile). A call that holds the GIL stalls every other Python
    thread for its whole length (C code is not interrupted by the switch
    interval); a call that releases it stalls them for at most an OS time
    slice or a GIL hand-over. A busy machine does not change that, unlike a
    speedup."""
    done = threading.Event()
    span = {}

    def call():
        try:
            span["start"] = time.perf_counter()
            fn(*args)
            span["end"] = time.perf_counter()
        finally:
            done.set()  # even when fn raised: never leave the loop below spinning

    t = threading.Thread(target=call)
    last = time.perf_counter()
    longest = 0.0
    t.start()
    while not done.is_set():
        if meanwhile:
            meanwhile()
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    t.join()
    if "end" not in span:
        raise RuntimeError(f"{fn!r} raised in the stall probe (its traceback is above)")
    return span["end"] - span["start"], longest


def gil_probes(gopyext, count):
    """The stall probe for the Go countdown; the same while the other thread
    keeps calling into Go too (short countdowns), which stalls only if
    something serializes Go calls (a lock in the bindings, the Go runtime);
    and, as the control, a C call that holds the GIL: builtin sum() over a
    range, sized to take ~0.3 s."""
    t = time.perf_counter()
    sum(range(1_000_000))
    n = int(1_000_000 * 0.3 / max(time.perf_counter() - t, 1e-6))
    out = {}
    for name, fn, args, meanwhile in (
        ("go", gopyext.Countdown, (count,), None),
        ("go+go", gopyext.Countdown, (count,), lambda: gopyext.Countdown(1000)),
        ("sum", sum, (range(n),), None),
    ):
        call, stall = stall_probe(fn, args, meanwhile)
        out[name] = {"call_s": call, "longest_stall_s": stall, "other_thread_ran": stall < call / 2}
    return out


def machine_busy_s():
    """CPU seconds all processes have spent busy so far (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(fn, args_per_thread):
    """Runs fn(*args) in one new thread per entry, all released together by a
    barrier. Returns (wall s from the first worker's start to the last one's
    end, as the workers clock it themselves; cores the rest of the machine
    kept busy meanwhile, or None)."""
    ready = threading.Barrier(len(args_per_thread) + 1)
    spans = []

    def worker(args):
        ready.wait()
        start = time.perf_counter()
        fn(*args)
        spans.append((start, time.perf_counter()))

    threads = [threading.Thread(target=worker, args=(a,)) for a in args_per_thread]
    for t in threads:
        t.start()
    busy0, ours0, t0 = machine_busy_s(), time.process_time(), time.perf_counter()
    ready.wait()
    for t in threads:
        t.join()
    busy1, ours1, t1 = machine_busy_s(), time.process_time(), time.perf_counter()
    wall = max(end for _, end in spans) - min(start for start, _ in spans)
    others = None if busy0 is None else max(0.0, (busy1 - busy0) - (ours1 - ours0)) / (t1 - t0)
    return wall, others


def hash_mib(mib):
    h = hashlib.sha256()
    for _ in range(mib):
        h.update(HASH_BUF)
    return h.hexdigest()


HASH_BUF = b"\0" * (1 << 20)


def workloads(gopyext, count, mib):
    """name -> (function, args per thread for 1 thread, for 2 threads): the same
    total work either way, split in halves for 2 threads."""
    return {
        "go": (gopyext.Countdown, {1: [(count,)], 2: [(count // 2,), (count - count // 2,)]}),
        # The control: C code known to release the GIL (hashlib drops it for
        # buffers over 2 KiB). Its speedup is what this machine offered two
        # threads at that moment; on a loaded machine it falls below 2 too.
        "hashlib": (hash_mib, {1: [(mib,)], 2: [(mib // 2,), (mib - mib // 2,)]}),
    }


def measure(gopyext, count, mib, runs, progress):
    """Every (workload, threads) cell once per round, the order rotating from
    round to round; one uncounted warm-up round first."""
    cells = [(w, n) for w in ("go", "hashlib") for n in (1, 2)]
    loads = workloads(gopyext, count, mib)
    walls = {c: [] for c in cells}
    others = []
    for r in range(runs + 1):
        k = r % len(cells)
        for w, n in cells[k:] + cells[:k]:
            fn, shapes = loads[w]
            wall, busy = timed(fn, shapes[n])
            if r > 0:
                walls[(w, n)].append(wall)
                if busy is not None:
                    others.append(busy)
        progress(f"round {r}/{runs}" + (" (warm-up)" if r == 0 else ""))
    return walls, others


def summary(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "runs": xs}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("count", nargs="?", type=int, default=250_000_000)
    ap.add_argument("--mib", type=int, default=256)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--module-dir", default=None)
    a = ap.parse_args()
    if a.count < 2 or a.mib < 2 or a.runs < 1:
        ap.error("COUNT and --mib must be >= 2, --runs >= 1")
    module_dir = a.module_dir or default_module_dir()
    gopyext, before, after, caught = load(module_dir)
    results = checks(gopyext)
    probes = gil_probes(gopyext, a.count)
    walls, others = measure(gopyext, a.count, a.mib, a.runs, lambda m: print(m, file=sys.stderr, flush=True))
    report = {
        "python": {
            "name": NAME + ("+gil" if FREE_THREADED and before else ""),
            "version": sys.version,
            "executable": sys.executable,
            "free_threaded": FREE_THREADED,
            "python_gil_env": os.environ.get("PYTHON_GIL"),
        },
        "machine": {"cores": os.cpu_count(), "others_busy_cores": summary(others) if others else None},
        "module": gopyext.__file__,
        "gil_enabled_before_import": before,
        "gil_enabled_after_import": after,
        "import_warnings": caught,
        "checks": [{"what": w, "ok": ok, "detail": d} for w, ok, d in results],
        "gil_probe": probes,
        "count": a.count,
        "mib": a.mib,
        "workloads": {},
    }
    for w in ("go", "hashlib"):
        one, two = walls[(w, 1)], walls[(w, 2)]
        report["workloads"][w] = {
            "wall_s": {"1": summary(one), "2": summary(two)},
            "speedup": summary([x / y for x, y in zip(one, two)]),
        }
    failed = [c for c in report["checks"] if not c["ok"]]
    if a.json:
        print(json.dumps(report, indent=1))
        return 1 if failed else 0
    print_text(report, failed, a.runs)
    return 1 if failed else 0


def print_text(report, failed, runs):
    p = report["python"]
    print(f"python {p['name']}: {p['executable']}")
    print(f"module: {report['module']}")
    print(
        f"GIL enabled before import: {report['gil_enabled_before_import']}, "
        f"after import: {report['gil_enabled_after_import']}" + ("" if p["free_threaded"] else " (a GIL build)")
    )
    for w in report["import_warnings"]:
        print(f"import warned: {w}")
    n = len(report["checks"])
    print(f"checks: {n - len(failed)} of {n} agree with Python")
    for c in failed:
        print(f"  FAILED {c['what']}: {c['detail']}")
    print("does a call release the GIL? another Python thread kept running during it:")
    probes = {
        "go": ("Go countdown via gopy", "released", "held"),
        "go+go": ("the same, the other thread calling Go too", "not serialized", "serialized"),
        "sum": ("sum(range(n)) (holds the GIL; control)", "released", "held"),
    }
    for w, r in report["gil_probe"].items():
        label, yes, no = probes[w]
        print(
            f"  {label:<42} call {r['call_s']:.3f} s, the other thread's longest stall "
            f"{r['longest_stall_s'] * 1000:.1f} ms: {yes if r['other_thread_ran'] else no}"
        )
    print(f"from 1 and 2 threads ({runs} interleaved runs each, median (min … max); 2 threads split the same work):")
    labels = {
        "go": f"Go countdown({report['count']:,}) via gopy",
        "hashlib": f"hashlib sha256 of {report['mib']} MiB (control: C that releases the GIL)",
    }
    for w, r in report["workloads"].items():
        one, two, s = r["wall_s"]["1"], r["wall_s"]["2"], r["speedup"]
        print(f"  {labels[w]}: speedup {s['median']:.2f}x ({s['min']:.2f} … {s['max']:.2f})")
        print(
            f"      1 thread {one['median']:.3f} s ({one['min']:.3f} … {one['max']:.3f}),"
            f" 2 threads {two['median']:.3f} s ({two['min']:.3f} … {two['max']:.3f})"
        )
    o = report["machine"]["others_busy_cores"]
    if o:
        print(
            f"other processes kept {o['median']:.2f} of {report['machine']['cores']} cores busy meanwhile"
            f" (median; {o['min']:.2f} … {o['max']:.2f}); when the control is below 2x too, the machine was loaded"
        )


if __name__ == "__main__":
    sys.exit(main())
