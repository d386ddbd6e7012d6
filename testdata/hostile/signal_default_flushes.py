# A signal at its default action: python dies with what it printed still in
# its buffer; gilctl flushes that output first (a documented difference).
import os, signal, time
print("still in the buffer when SIGTERM arrives")
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(30)
