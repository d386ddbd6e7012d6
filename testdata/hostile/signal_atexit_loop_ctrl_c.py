# Ctrl-C stops an atexit handler that loops.
import atexit
@atexit.register
def loop():
    print("@@signal SIGINT in 500ms", flush=True)
    while True:
        pass
print("main done")
