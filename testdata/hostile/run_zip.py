# gilkit-test: as: zip
# `run ZIP` runs __main__.py from the archive.
import sys, os
print("in a zip", __name__, os.path.basename(sys.argv[0]), os.path.basename(sys.path[0]))
print(type(__loader__).__name__)
