# A forked child that runs to the end of the script exits 0 like python's.
import os
pid = os.fork()
if pid == 0:
    print("in child", flush=True)
else:
    _, st = os.waitpid(pid, 0)
    print("child exited with", os.waitstatus_to_exitcode(st))
