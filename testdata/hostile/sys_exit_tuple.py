# sys.exit((1, 2)): neither None nor an int: printed, status 1.
import sys
sys.exit((1, 2))
