# SIGUSR1 at its default action ends the process.
import os, signal
print("sending", flush=True)
os.kill(os.getpid(), signal.SIGUSR1)
import time; time.sleep(30)
print("never")
