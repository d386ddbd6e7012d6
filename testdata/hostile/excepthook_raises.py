# An excepthook that raises itself: python reports both.
import sys
def hook(tp, value, tb):
    raise RuntimeError("the hook failed")
sys.excepthook = hook
raise ValueError("original")
