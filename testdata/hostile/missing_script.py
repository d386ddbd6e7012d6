# gilkit-test: as: missing
# The script does not exist: python's message, status 2.
