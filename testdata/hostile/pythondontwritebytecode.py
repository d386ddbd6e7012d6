# gilkit-test: env: PYTHONDONTWRITEBYTECODE=1
import sys
print(sys.dont_write_bytecode)
