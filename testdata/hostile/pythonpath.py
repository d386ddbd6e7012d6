# gilkit-test: env: PYTHONPATH=${CASEDIR}/lib
# PYTHONPATH is read (gilctl run reads the PYTHON* variables).
import os, sys, importlib
lib = os.environ["PYTHONPATH"]
os.makedirs(lib, exist_ok=True)
with open(os.path.join(lib, "mymod_from_pythonpath.py"), "w") as f:
    f.write("VALUE = 42\n")
importlib.invalidate_caches()
import mymod_from_pythonpath
print(mymod_from_pythonpath.VALUE, lib in sys.path)
