# SIGHUP from outside at its default action.
import time
print("@@signal SIGHUP", flush=True)
time.sleep(60)
