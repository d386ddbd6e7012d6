# SIGINT set to SIG_DFL: Ctrl-C kills at once, no traceback.
import signal, time
signal.signal(signal.SIGINT, signal.SIG_DFL)
print("@@signal SIGINT", flush=True)
time.sleep(60)
