# A caught KeyboardInterrupt: the script carries on and ends normally.
import time
try:
    print("@@signal SIGINT in 500ms", flush=True)
    time.sleep(60)
except KeyboardInterrupt:
    print("caught Ctrl-C, cleaning up")
print("normal end")
