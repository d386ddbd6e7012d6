# __main__ as python sets it up for a script.
import sys, os
print(__name__, os.path.basename(__file__), __spec__, __package__)
print(type(__loader__).__name__, __cached__)
print(os.path.basename(sys.path[0]) == os.path.basename(os.path.dirname(os.path.abspath(__file__))))
print(sys.argv[0] == __file__)
