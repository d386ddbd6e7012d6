import os, sys
pid = os.fork()
if pid == 0:
    print("child exits 7", flush=True)
    sys.exit(7)
_, st = os.waitpid(pid, 0)
print("child exited with", os.waitstatus_to_exitcode(st))
