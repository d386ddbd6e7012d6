# A child's output and ours, unflushed: the order python's buffering gives.
import subprocess, sys
print("parent before (buffered)")
subprocess.run([sys.executable, "-c", "print('child output')"])
print("parent after")
