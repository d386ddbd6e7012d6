# SIGTERM from outside at its default action: killed by SIGTERM.
import time, atexit
atexit.register(lambda: print("atexit must not run"))
print("@@signal SIGTERM", flush=True)
time.sleep(60)
