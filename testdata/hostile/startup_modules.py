# The modules loaded at startup are python's (nothing extra from gilkit).
import sys
print(sorted(m for m in sys.modules if not m.startswith("encodings.")))
