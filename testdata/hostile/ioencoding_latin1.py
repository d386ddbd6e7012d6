# gilkit-test: env: PYTHONIOENCODING=latin-1:backslashreplace
# PYTHONIOENCODING chooses stdout's encoding and error handler.
import sys
print(sys.stdout.encoding, sys.stdout.errors)
print("café ☕")
