# A SIGTERM handler that exits with its own status.
import signal, sys, time
def on_term(s, f):
    print("terminating cleanly")
    sys.exit(3)
signal.signal(signal.SIGTERM, on_term)
print("@@signal SIGTERM", flush=True)
time.sleep(60)
