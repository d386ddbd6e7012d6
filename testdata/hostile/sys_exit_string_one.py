# sys.exit("1"): a string, printed, status 1.
import sys
sys.exit("1")
