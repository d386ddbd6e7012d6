# SIG_IGN is inherited by child processes, as with python.
import signal, subprocess, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
code = "import signal; print(signal.getsignal(signal.SIGINT))"
print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip())
