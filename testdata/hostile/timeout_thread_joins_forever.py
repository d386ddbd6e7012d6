# gilkit-test: timeout: 3s
# gilkit-test: stdout: "joining\n"
import threading, time
t = threading.Thread(target=time.sleep, args=(600,))
t.start()
print("joining")
t.join()
