# An ignored signal is ignored; a handler set later runs.
import os, signal, time
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
os.kill(os.getpid(), signal.SIGUSR1)
print("still alive")
signal.signal(signal.SIGUSR1, lambda s, f: print("now handled"))
os.kill(os.getpid(), signal.SIGUSR1)
print(signal.getsignal(signal.SIGUSR1) is not None)
