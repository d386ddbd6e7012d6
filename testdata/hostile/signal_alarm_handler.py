# signal.alarm with a handler interrupts a sleep on the main thread.
import signal, time
def on_alarm(s, f):
    raise TimeoutError("alarm")
signal.signal(signal.SIGALRM, on_alarm)
signal.alarm(1)
try:
    time.sleep(30)
except TimeoutError as e:
    print("interrupted by", e)
