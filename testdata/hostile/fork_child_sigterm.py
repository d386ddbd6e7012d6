# A forked child dies of SIGTERM (Process.terminate() relies on it).
import os, signal, time
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(w, b"x")
    time.sleep(60)
    os._exit(0)
os.read(r, 1)
os.kill(pid, signal.SIGTERM)
_, st = os.waitpid(pid, 0)
print("child status", os.waitstatus_to_exitcode(st))
