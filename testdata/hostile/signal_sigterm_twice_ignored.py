# A SIGTERM handler that ignores SIGTERM: python carries on; gilctl ends the
# run at a second SIGTERM that comes after its grace period (a documented
# difference: signals always end a gilctl run).
import signal, time
count = 0
def ignore(sig, frame):
    global count
    count += 1
signal.signal(signal.SIGTERM, ignore)
print("@@signal SIGTERM", flush=True)
seen = 0
deadline = time.monotonic() + 6
while time.monotonic() < deadline:
    time.sleep(0.1)
    if count != seen:
        seen = count
        print("ignored SIGTERM", seen, flush=True)
        if seen == 1:
            print("@@signal SIGTERM in 2000ms", flush=True)
print("finished")
