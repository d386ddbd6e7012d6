# sys.exit(False): status 0.
import sys
sys.exit(False)
