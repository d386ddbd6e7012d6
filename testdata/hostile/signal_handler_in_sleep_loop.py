# A handler on the main thread counts SIGUSR1s that another thread sends
# while the main thread sleeps (each one waits for the previous to be
# handled: signals of one kind do not queue up).
import os, signal, threading, time
count = 0
def h(s, f):
    global count
    count += 1
signal.signal(signal.SIGUSR1, h)
def sender():
    for i in range(3):
        os.kill(os.getpid(), signal.SIGUSR1)
        while count <= i:
            time.sleep(0.01)
t = threading.Thread(target=sender); t.start()
while count < 3:
    time.sleep(0.05)
t.join()
print("handled", count)
