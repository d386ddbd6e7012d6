# A handler that counts SIGUSR1s sent by a thread while the main thread sleeps.
import os, signal, threading, time
count = 0
def h(s, f):
    global count
    count += 1
signal.signal(signal.SIGUSR1, h)
def sender():
    for _ in range(3):
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.1)
t = threading.Thread(target=sender); t.start()
while count < 3:
    time.sleep(5)
t.join()
print("handled", count)
