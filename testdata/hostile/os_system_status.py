# os.system returns a wait status.
import os
print(os.waitstatus_to_exitcode(os.system("exit 3")))
