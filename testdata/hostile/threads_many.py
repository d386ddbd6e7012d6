# Many threads doing work and joining.
import threading
results = [0] * 16
def work(i):
    results[i] = sum(range(i * 1000))
ts = [threading.Thread(target=work, args=(i,)) for i in range(16)]
for t in ts: t.start()
for t in ts: t.join()
print(sum(results))
