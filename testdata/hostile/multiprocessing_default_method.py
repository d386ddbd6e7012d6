# The default start method is python's.
import multiprocessing as mp
print(mp.get_start_method())
