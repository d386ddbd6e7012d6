# gilkit-test: env: PYTHONSAFEPATH=1
# PYTHONSAFEPATH: the script's folder is not put on sys.path.
import sys, os
print(sys.flags.safe_path, os.path.dirname(os.path.abspath(__file__)) in sys.path)
