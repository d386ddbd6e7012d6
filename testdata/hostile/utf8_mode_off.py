# gilkit-test: env: PYTHONUTF8=0
# gilkit-test: env: LC_ALL=C.UTF-8
import sys
print(sys.flags.utf8_mode, sys.stdout.encoding)
