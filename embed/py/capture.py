# capture.py: module _gilkit_capture of each interpreter (run.c): routers on
# sys.stdout and sys.stderr that send a thread's writes to the buffer
# gk_capture_begin pushed for it, and to the stream they replaced otherwise.
# C pushes and pops the buffers (with no bytecode between the steps, so an
# interrupt cannot leave one behind); only creating a router runs here.
import sys, io, _thread
_lock = _thread.allocate_lock()
_mine = {}  # (stream name, thread id) -> [(router, buffer)] pushed by begin
class Router:
    _gilkit_router = True
    def __init__(self, fallback):
        self._fallback = fallback
        self._bufs = {}
    def _buf(self):
        stack = self._bufs.get(_thread.get_ident())
        return stack[-1] if stack else None
    def write(self, s):
        b = self._buf()
        if b is not None:
            return b.write(s)
        if self._fallback is None:
            return len(s)
        return self._fallback.write(s)
    def flush(self):
        if self._buf() is None and self._fallback is not None:
            self._fallback.flush()
    def __getattr__(self, name):
        return getattr(self._fallback, name)
def _is_router(r):
    return getattr(type(r), '_gilkit_router', False)
def _router(name):
    r = getattr(sys, name)
    if _is_router(r):
        return r
    with _lock:
        r = getattr(sys, name)
        if not _is_router(r):
            r = Router(r)
            setattr(sys, name, r)
        return r
