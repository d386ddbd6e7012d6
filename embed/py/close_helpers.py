# close_helpers.py: what Interpreter.Close runs in Python (close.go): waiting
# a little for non-daemon threads (what Py_FinalizeEx would wait for without
# end) and describing what every thread runs when Close gives up.
import sys, threading

def _where(frame):
    if frame is None:
        return "not running Python code"
    return f"at {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"

def join_some(timeout):
    main = threading.main_thread()
    me = threading.current_thread()
    left = [t for t in threading.enumerate()
            if t is not main and t is not me and not t.daemon and t.is_alive()]
    if left:
        left[0].join(timeout)
    frames = sys._current_frames()
    return [f"Python thread {t.name!r} (threading.get_ident() {t.ident}) {_where(frames.get(t.ident))}"
            for t in left if t.is_alive()]

def running():
    frames = sys._current_frames()
    threads = {t.ident: t for t in threading.enumerate()}
    me = threading.get_ident()
    out = []
    for ident, frame in sorted(frames.items()):
        if ident == me:
            continue
        t = threads.get(ident)
        if t is None or isinstance(t, threading._DummyThread):
            kind = "goroutine"
        else:
            kind = f"Python thread {t.name!r}" + (" (daemon)" if t.daemon else "")
        out.append(f"{kind} (threading.get_ident() {ident}) {_where(frame)}")
    return out
