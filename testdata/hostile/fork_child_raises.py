# An exception in the child: traceback from the child, status 1.
import os
pid = os.fork()
if pid == 0:
    raise ValueError("in the child")
_, st = os.waitpid(pid, 0)
print("child exited with", os.waitstatus_to_exitcode(st))
