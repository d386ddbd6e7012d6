# gilkit-test: timeout: 3s
# gilkit-test: stdout: "printed before\natexit ran\n"
# A sleep on the main thread: interrupted at the deadline; what was printed
# (without a flush) and the atexit output are kept.
import time, atexit
atexit.register(lambda: print("atexit ran"))
print("printed before")
time.sleep(60)
