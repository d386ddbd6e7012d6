# An excepthook that calls sys.exit: its status wins.
import sys
def hook(tp, value, tb):
    print("hook exits", file=sys.stderr)
    sys.exit(9)
sys.excepthook = hook
raise ValueError("original")
