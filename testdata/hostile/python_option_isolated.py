# gilkit-test: python-args: -I
# -I: isolated mode, no script folder on sys.path, environment ignored.
import sys
print(sys.flags.isolated, sys.flags.ignore_environment, sys.path[0].endswith(".zip"))
