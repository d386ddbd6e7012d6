# gilkit-test: closed-fds: 2
# Started with fd 2 closed: the traceback has nowhere to go; the status is still 1.
import sys
print("stderr is", sys.stderr)
raise ValueError("unseen")
