# gilkit-test: timeout: 3s
# gilkit-test: stdout: "main done\nin atexit\n"
import atexit
@atexit.register
def loop():
    print("in atexit")
    while True:
        pass
print("main done")
