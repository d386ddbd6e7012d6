# gilkit-test: env: LC_ALL=C
# The C locale: PEP 538/540 coercion as python does it.
import sys, locale, os
print(sys.flags.utf8_mode, sys.stdout.encoding, sys.getfilesystemencoding())
print(locale.getpreferredencoding(False))
print(os.environ.get("LC_CTYPE"))
