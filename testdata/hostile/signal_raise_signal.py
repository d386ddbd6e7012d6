# signal.raise_signal runs the handler before it returns.
import signal
signal.signal(signal.SIGUSR2, lambda s, f: print("handler for", signal.Signals(s).name))
signal.raise_signal(signal.SIGUSR2)
print("after raise_signal")
