# An IndentationError.
if True:
print("x")
