# An ExceptionGroup's nested traceback.
def f():
    raise ExceptionGroup("many", [ValueError("a"), TypeError("b"), ExceptionGroup("inner", [KeyError("c")])])
f()
