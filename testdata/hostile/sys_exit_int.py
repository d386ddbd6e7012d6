# sys.exit(7): status 7, nothing printed.
import sys
print("before")
sys.exit(7)
