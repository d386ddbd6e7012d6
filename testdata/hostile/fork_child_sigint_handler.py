# In a forked child, SIGINT raises KeyboardInterrupt as in python.
import os, signal, time
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    try:
        os.write(w, b"x")
        time.sleep(60)
    except KeyboardInterrupt:
        print("child got KeyboardInterrupt", flush=True)
        os._exit(4)
    os._exit(0)
os.read(r, 1)
time.sleep(0.2)
os.kill(pid, signal.SIGINT)
_, st = os.waitpid(pid, 0)
print("child status", os.waitstatus_to_exitcode(st))
