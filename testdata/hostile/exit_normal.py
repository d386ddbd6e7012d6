# A script that ends normally: status 0, output flushed at exit.
print("hello")
print("to stderr", file=__import__("sys").stderr)
