# A non-daemon thread finishes its work after the script ends: python waits.
import threading, time
def work():
    time.sleep(0.3)
    print("worker finished after main")
threading.Thread(target=work).start()
print("main ends")
