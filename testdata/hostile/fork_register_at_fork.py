# os.register_at_fork hooks run in parent and child.
import os
os.register_at_fork(before=lambda: print("before", flush=True),
                    after_in_parent=lambda: print("parent after", flush=True),
                    after_in_child=lambda: print("child after", flush=True))
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
