# Flushing stdout fails at exit (no space left): status 120.
import os
fd = os.open("/dev/full", os.O_WRONLY)
os.dup2(fd, 1)
print("this cannot be written")
