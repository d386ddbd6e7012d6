# gilkit-test: as: stdin
# `run -`: the script is read from standard input.
import sys
print("from stdin", sys.argv, __file__ if "__file__" in globals() else "no __file__")
