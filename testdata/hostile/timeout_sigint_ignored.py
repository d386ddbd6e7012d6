# gilkit-test: timeout: 3s
# gilkit-test: stdout: "ignoring SIGINT\n"
# Ctrl-C ignored: the timeout still ends the run.
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
print("ignoring SIGINT")
time.sleep(60)
