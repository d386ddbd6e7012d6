# SystemExit raised while another exception unwinds replaces it.
import sys
try:
    raise ValueError("first")
finally:
    print("finally runs")
    sys.exit(4)
