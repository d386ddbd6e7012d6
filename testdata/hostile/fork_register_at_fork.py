# os.register_at_fork hooks run in parent and child.
import os
events = []
os.register_at_fork(before=lambda: events.append("before"),
                    after_in_parent=lambda: events.append("parent after"),
                    after_in_child=lambda: events.append("child after"))
pid = os.fork()
if pid == 0:
    print("child:", events, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print("parent:", events)
