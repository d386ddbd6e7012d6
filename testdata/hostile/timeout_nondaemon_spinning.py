# gilkit-test: timeout: 3s
# gilkit-test: stdout: "main done\n"
# The script ends, a non-daemon thread spins forever.
import threading
def spin():
    while True:
        pass
threading.Thread(target=spin).start()
print("main done")
