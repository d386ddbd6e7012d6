# A custom sys.excepthook replaces the traceback.
import sys
def hook(tp, value, tb):
    print(f"custom hook: {tp.__name__}: {value}", file=sys.stderr)
    print("hook ran", flush=True)
sys.excepthook = hook
raise LookupError("handled by the hook")
