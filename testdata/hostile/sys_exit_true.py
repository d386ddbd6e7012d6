# sys.exit(True): True is an int, so status 1 and no message.
import sys
sys.exit(True)
