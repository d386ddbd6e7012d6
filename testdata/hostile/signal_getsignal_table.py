# The handler table python starts with.
import signal
for s in sorted(signal.valid_signals()):
    if s in (signal.SIGKILL, signal.SIGSTOP):
        continue
    h = signal.getsignal(s)
    print(int(s), getattr(h, "__name__", h))
