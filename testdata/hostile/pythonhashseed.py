# gilkit-test: env: PYTHONHASHSEED=1234
import sys
print(sys.flags.hash_randomization, hash("gilkit"))
