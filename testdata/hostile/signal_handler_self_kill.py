# A SIGUSR1 handler runs right after os.kill(getpid()) returns, before the next line.
import os, signal
signal.signal(signal.SIGUSR1, lambda s, f: print("handler", s))
os.kill(os.getpid(), signal.SIGUSR1)
print("after kill")
