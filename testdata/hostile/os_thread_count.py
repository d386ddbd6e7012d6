# The OS threads of the process: python has one; gilctl also runs the Go
# runtime's (a documented difference). Python's own view is the same.
import os, threading
print("threading sees", threading.active_count())
print("the OS sees", len(os.listdir("/proc/self/task")))
