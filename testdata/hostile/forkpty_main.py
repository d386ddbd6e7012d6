# os.forkpty from __main__: no "multi-threaded" warning for a single-threaded script.
import os
pid, fd = os.forkpty()
if pid == 0:
    print("child on a pseudo-terminal")
    os._exit(3)
data = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
print(data, os.waitstatus_to_exitcode(status))
