# gilkit-test: closed-fds: 1
# Started with fd 1 closed: sys.stdout is None and print does nothing, as in python.
import sys
print("nowhere")
print("stdout is", sys.stdout, file=sys.stderr)
