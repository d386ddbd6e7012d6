# Ctrl-C (SIGINT from outside) during a sleep: KeyboardInterrupt at once,
# atexit runs, then python ends by SIGINT.
import time, atexit
atexit.register(lambda: print("atexit ran"))
print("@@signal SIGINT in 500ms", flush=True)
time.sleep(60)
