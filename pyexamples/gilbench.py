"""The article's experiments as workloads that gilctl bench spreads over
serial code, threads, goroutines, processes and subinterpreters.

Each workload is a function share(params, index, workers) that does one
worker's part of the work. With strong scaling (the default, as in the
article) the total is split evenly across the workers; with weak scaling
(params["weak"]) every worker does the full amount.

A user's own workload (gilctl --script FILE.py) is a file that defines
work(i, n) -- worker i of n does its share -- and optionally setup(), run
once in every interpreter or process that runs work. It goes through the
same drivers as the built-in workloads.

Go code called from Python threads, with the GIL released, is the
article's "libraries that release the GIL" for Go: go-release calls
gilkit.countdown and go-held gilkit.countdown_held (the same Go loop with
the GIL held), from the module gilkit that exists only inside gilkit's
embedded interpreter; gopy calls the same loop through the extension module
gopy builds (`make gopy`) from a plain python process.

Runs under a plain python3 too:

    python3 gilbench.py countdown threads 2 --count 5000000
    python3 gilbench.py release-sha256 serial 2
    python3 gilbench.py gopy threads 2 --json
    python3 gilbench.py --serve        # JSON lines on stdin and stdout (see serve)
    python3 gilbench.py --script my_work.py threads 4
"""

import argparse
import asyncio
import hashlib
import importlib.util
import inspect
import json
import os
import socket
import sys
import tempfile
import threading
import time
import traceback
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
    "gopy_dir": "",  # gopy's build of pyexamples/gopyext; default: gilkit's cache
}

# Go countdown steps per Python countdown step in the go-* and gopy
# workloads. The Go loop (a decrement and a multiply-add a step, ~1.45 ns)
# is far faster than Python's, so the same count would end in
# milliseconds; at 5x a Go cell lasts about a third of the matching
# countdown cell (0.36 s for the full 50,000,000 here).
GO_STEPS = 5


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


def go_count(params, workers):
    return amount(params, params["count"], workers) * GO_STEPS


def share_go_release(params, index, workers):
    import gilkit  # Go functions: only inside gilkit's embedded interpreter

    gilkit.countdown(go_count(params, workers))  # releases the GIL while Go runs


def share_go_held(params, index, workers):
    import gilkit

    gilkit.countdown_held(go_count(params, workers))  # the same loop, GIL held


_gopy = {}  # module dir -> gopyext, or the reason it is not available


def gopy_module(params):
    """gopyext (the gopy-built extension), or a str saying why not."""
    module_dir = params.get("gopy_dir") or _default_gopy_dir()
    if module_dir not in _gopy:
        _gopy[module_dir] = _load_gopy(module_dir)
    return _gopy[module_dir]


def _default_gopy_dir():
    import sysconfig

    name = f"{sys.version_info.major}.{sys.version_info.minor}" + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "")
    cache = os.environ.get("GILKIT_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gilkit")
    return os.environ.get("GILKIT_GOPY") or os.path.join(cache, "gopy", "ext", name)


def _load_gopy(module_dir):
    if "gilkit" in sys.builtin_module_names:
        return "gopy's extension carries its own Go runtime and runs only in a plain python process (gilctl starts one for this workload)"
    error = os.path.join(module_dir, "error")
    if os.path.exists(error):
        with open(error) as f:
            return "gopy could not build the extension for this python: " + " | ".join(line.strip() for line in f if line.strip())[:2000]
    if not os.path.isdir(os.path.join(module_dir, "gopyext")):
        return f"no gopy build in {module_dir} (make gopy, or scripts/gopy.sh NAME PREFIX, builds one)"
    sys.path.insert(0, module_dir)
    try:
        from gopyext import gopyext
    except ImportError as e:
        return f"importing gopy's extension failed: {e}"
    return gopyext


def share_gopy(params, index, workers):
    module = gopy_module(params)
    if isinstance(module, str):
        raise RuntimeError(module)
    module.Countdown(go_count(params, workers))  # gopy's wrapper releases the GIL


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
    "go-release": share_go_release,
    "go-held": share_go_held,
    "gopy": share_gopy,
}


class ScriptError(RuntimeError):
    """A user's script cannot run: the message says why, in one line."""


_scripts = {}  # path -> (work, None) or (None, ScriptError), per interpreter or process
_scripts_lock = threading.Lock()  # threads starting together import and set up once


def _where(params):
    return params.get("where") or ""


def _location(exc, path):
    """ "(script.py, line 7)" for the deepest frame of exc in the user's file."""
    if isinstance(exc, SyntaxError):
        return f"({os.path.basename(exc.filename or path)}, line {exc.lineno})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == os.path.abspath(path)]
    return f"({os.path.basename(path)}, line {frames[-1].lineno})" if frames else ""


def _describe(exc, path):
    if isinstance(exc, SystemExit):
        what = f"SystemExit({exc.code!r}) (sys.exit was called)"
    elif isinstance(exc, SyntaxError):
        what = f"{type(exc).__name__}: {exc.msg}"
    else:
        what = f"{type(exc).__name__}: {exc}"
    return f"{what} {_location(exc, path)}".rstrip()


def load_script(path, where=""):
    """The work function of the user's file at path, imported once per
    interpreter or process (its folder first on sys.path, as `python FILE`
    does), setup() run once after the import. Raises ScriptError saying
    why it cannot run."""
    with _scripts_lock:
        cached = _scripts.get(path)
        if cached is None:
            cached = _scripts[path] = _load_script(path, where)
    work, err = cached
    if err is not None:
        raise err
    return work


def _load_script(path, where):
    name = os.path.basename(path)
    place = f" {where}" if where else ""
    if not os.path.isfile(path):
        return None, ScriptError(f"{path}: no such file{place}")
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    modname = "gilkit_script_" + "".join(c if c.isalnum() else "_" for c in os.path.splitext(name)[0])
    try:
        spec = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[modname] = module  # as import does: pickle and dataclasses find it
        spec.loader.exec_module(module)
    except BaseException as e:  # SyntaxError, ImportError, SystemExit, anything at import time
        sys.modules.pop(modname, None)
        return None, ScriptError(f"{name} cannot be imported{place}: {_describe(e, path)}")
    work = getattr(module, "work", None)
    if not callable(work):
        return None, ScriptError(f"{name} defines no work(i, n) function")
    try:
        inspect.signature(work).bind(0, 1)
    except TypeError:
        return None, ScriptError(f"{name}: work must take two arguments, work(i, n) (it is work{inspect.signature(work)})")
    except ValueError:
        pass  # a builtin without a signature: let the call tell
    setup = getattr(module, "setup", None)
    if setup is not None:
        if not callable(setup):
            return None, ScriptError(f"{name}: setup is not a function")
        try:
            setup()
        except BaseException as e:
            return None, ScriptError(f"{name}: setup() raised {_describe(e, path)}{place}")
    return work, None


def script_unavailable(path, where=""):
    """Why the script at path cannot run here, or None."""
    try:
        load_script(path, where)
    except ScriptError as e:
        return str(e)
    return None


def _run_script(params, workload, index, workers):
    path = params["scripts"][workload]
    work = load_script(path, _where(params))
    try:
        work(index, workers)
    except BaseException as e:  # SystemExit would end a pool's worker process and hang the run
        raise ScriptError(f"work({index}, {workers}) raised {_describe(e, path)}") from None


def unavailable(workload, params=None):
    """Why a workload cannot run here, or None."""
    scripts = (params or {}).get("scripts") or {}
    if workload in scripts:
        return script_unavailable(scripts[workload], _where(params))
    if workload not in WORKLOADS:
        return f"unknown workload {workload!r}"
    if workload == "release-numpy":
        try:
            import numpy  # noqa: F401
        except Exception as e:  # ImportError, or a broken install
            return f"NumPy is not importable in this interpreter ({type(e).__name__}: {e})"
    if workload in ("go-release", "go-held"):
        try:
            import gilkit  # noqa: F401
        except ImportError as e:
            where = _where(params or {}) or "here"
            return f"the module gilkit (Go functions) exists only in gilkit's embedded interpreter; {where}: ImportError: {e}"
    if workload == "gopy":
        module = gopy_module(params or {})
        if isinstance(module, str):
            return module
    return None


def share(workload, params, index, workers):
    """Run one worker's share; return (wall seconds, this thread's CPU seconds)."""
    scripts = params.get("scripts") or {}
    if workload in scripts:
        load_script(scripts[workload], _where(params))  # import and setup() are not timed
        c0, t0 = time.thread_time(), time.perf_counter()
        _run_script(params, workload, index, workers)
        return time.perf_counter() - t0, time.thread_time() - c0
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


IN_WORKER_PROCESS = "in a worker process (started with spawn: it imports the file anew)"


def processes_unavailable(pool, workload, params):
    """Why a workload cannot run in the pool's processes, or None: a user's
    script must be importable there too."""
    scripts = params.get("scripts") or {}
    if workload in scripts:
        return pool.apply(script_unavailable, (scripts[workload], IN_WORKER_PROCESS))
    if workload in PLACE_DEPENDENT:
        return pool.apply(unavailable, (workload, dict(params, where=IN_WORKER_PROCESS)))
    return None


# Workloads whose availability depends on where they run (the embedded
# interpreter, a worker process, a subinterpreter), besides users' scripts.
PLACE_DEPENDENT = ("go-release", "go-held", "gopy")


def run_processes(pool, workload, params, workers):
    """The article's multiprocessing.Pool: each share in its own process."""
    params = dict(params, where=IN_WORKER_PROCESS)
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


def serve(inp=sys.stdin, out=sys.stdout):
    """Runs requests, one JSON object a line, until stdin ends: {"workload",
    "mode" ("serial" or "threads"), "workers", "params"} -> {"wall",
    "per_worker"}, {"skipped": reason} or {"error": message}. gilctl runs
    the gopy workload this way, in one plain python process per
    interpreter, so that starting python is paid once, not per run."""
    drivers = {"serial": run_serial, "threads": run_threads}
    for line in inp:
        req = json.loads(line)
        params = dict(DEFAULTS, **req.get("params", {}))
        try:
            reason = unavailable(req["workload"], params)
            if reason:
                reply = {"skipped": reason}
            elif req["mode"] not in drivers:
                reply = {"skipped": f"mode {req['mode']!r} is not served here (serial, threads)"}
            else:
                wall, per = drivers[req["mode"]](req["workload"], params, req["workers"])
                reply = {"wall": wall, "per_worker": per}
        except Exception as e:  # noqa: BLE001 - reported to gilctl, the server goes on
            reply = {"error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


def main(argv=None):
    if (argv if argv is not None else sys.argv[1:]) == ["--serve"]:
        serve()
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workload", nargs="?", choices=sorted(WORKLOADS), help="a built-in workload (or --script FILE)")
    ap.add_argument("mode", choices=["serial", "threads", "processes"])
    ap.add_argument("workers", type=int)
    ap.add_argument("--count", type=int, default=DEFAULTS["count"])
    ap.add_argument("--weak", action="store_true")
    ap.add_argument("--script", help="a file defining work(i, n) and optionally setup()")
    ap.add_argument("--gopy-dir", default="", help="gopy's build (scripts/gopy.sh prints it); default: gilkit's cache")
    ap.add_argument("--json", action="store_true", help='print {"wall", "per_worker": [[wall, cpu], ...]} or {"skipped"}')
    args = ap.parse_args(argv)
    params = dict(DEFAULTS, count=args.count, weak=args.weak, gopy_dir=args.gopy_dir)
    if args.script:
        args.workload = os.path.basename(args.script)
        params["scripts"] = {args.workload: os.path.abspath(args.script)}
    elif not args.workload:
        ap.error("name a workload or --script FILE")
    reason = unavailable(args.workload, params)
    if reason:
        print(json.dumps({"skipped": reason}) if args.json else f"skipped: {reason}")
        return
    if args.workload == "io-socket":
        params["port"] = echo_server(params["sleep_s"])
    if args.workload == "io-file":
        params["file"] = scratch_file()
    if args.mode == "processes":
        with make_pool(args.workers) as pool:
            reason = processes_unavailable(pool, args.workload, params)
            if reason:
                print(f"skipped: {reason}")
                return
            wall, per = run_processes(pool, args.workload, params, args.workers)
    else:
        wall, per = (run_serial if args.mode == "serial" else run_threads)(args.workload, params, args.workers)
    if args.json:
        print(json.dumps({"wall": wall, "per_worker": per}))
    else:
        print(f"{args.workload} {args.mode} x{args.workers}: {wall:.3f} s")
        for i, (w, c) in enumerate(per):
            print(f"  worker {i}: wall {w:.3f} s, cpu {c:.3f} s")
    if params["file"]:
        os.unlink(params["file"])


if __name__ == "__main__":
    main()
