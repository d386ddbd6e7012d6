"""Calls sys.exit at import time: gilctl must not exit with it."""
import sys

sys.exit(3)
