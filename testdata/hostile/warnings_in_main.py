# A DeprecationWarning raised from __main__ is shown by default.
import warnings
warnings.warn("old stuff", DeprecationWarning)
print("after warning")
