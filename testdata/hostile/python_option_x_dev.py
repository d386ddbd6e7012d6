# gilkit-test: python-args: -X dev -W error::ResourceWarning
# python's own options before the script.
import sys
print(sys.flags.dev_mode, sys.warnoptions)
