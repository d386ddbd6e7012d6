# The first Ctrl-C is caught by the script; at exit python waits for a
# non-daemon thread, and a second Ctrl-C ends that wait.
import threading, time, sys
def worker():
    main = threading.main_thread()
    while main.is_alive():
        time.sleep(0.05)
    print("@@signal SIGINT in 500ms", file=sys.stderr, flush=True)
    time.sleep(60)
t = threading.Thread(target=worker)
t.start()
try:
    print("@@signal SIGINT in 500ms", flush=True)
    t.join()
except KeyboardInterrupt:
    print("first Ctrl-C caught; exiting, the worker still runs")
