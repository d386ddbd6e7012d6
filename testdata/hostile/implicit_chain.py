# An exception raised while handling another.
try:
    int("x")
except ValueError:
    undefined_name
