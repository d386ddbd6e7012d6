# gilkit-test: env: PYTHONWARNINGS=error
# PYTHONWARNINGS=error turns a warning into an exception.
import warnings
warnings.warn("this becomes an error")
