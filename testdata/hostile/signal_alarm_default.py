# SIGALRM without a handler ends the process (killed by SIGALRM).
import signal, time
print("arming", flush=True)
signal.alarm(1)
time.sleep(30)
print("never")
