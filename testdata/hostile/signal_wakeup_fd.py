# signal.set_wakeup_fd receives the signal number.
import os, signal, socket
r, w = socket.socketpair()
r.setblocking(False); w.setblocking(False)
signal.set_wakeup_fd(w.fileno())
signal.signal(signal.SIGUSR1, lambda s, f: None)
os.kill(os.getpid(), signal.SIGUSR1)
print("woken by", signal.Signals(r.recv(1)[0]).name)
