# An exception message with a NUL is printed whole.
raise ValueError("before\0after")
