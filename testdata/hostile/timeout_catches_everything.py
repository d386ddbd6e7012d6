# gilkit-test: timeout: 3s
# gilkit-test: stdout: "stubborn\ncaught, going on\n"
# A script that swallows KeyboardInterrupt and keeps going.
import time
print("stubborn")
while True:
    try:
        time.sleep(60)
    except BaseException:
        print("caught, going on")
