# signal.signal from another thread fails as in python.
import signal, threading
def t():
    try:
        signal.signal(signal.SIGUSR1, lambda *a: None)
    except ValueError as e:
        print("ValueError:", e)
th = threading.Thread(target=t); th.start(); th.join()
