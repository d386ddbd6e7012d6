"""Importable in the main process only: a spawned worker process that
imports it fails, as a script holding a lock or device open at import
time would."""
import multiprocessing

if multiprocessing.parent_process() is not None:
    raise ImportError("this script may only be imported once, by the main process")


def work(i, n):
    pass
