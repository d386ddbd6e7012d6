# A handler, then SIG_DFL again: the default action ends the process.
import os, signal, time
signal.signal(signal.SIGUSR2, lambda s, f: print("handled once"))
os.kill(os.getpid(), signal.SIGUSR2)
signal.signal(signal.SIGUSR2, signal.SIG_DFL)
print("back to default", flush=True)
os.kill(os.getpid(), signal.SIGUSR2)
time.sleep(30)
print("never")
