# fd 1 closed under Python: the final flush fails.
import os
print("buffered")
os.close(1)
