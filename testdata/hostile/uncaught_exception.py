# An uncaught exception: traceback on stderr, status 1.
def inner():
    raise ValueError("boom")
def outer():
    inner()
print("before")
outer()
