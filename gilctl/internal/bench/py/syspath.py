"""sys.path for the subinterpreters gilctl's runner creates.

A subinterpreter starts with the default sys.path; the runner gives it the
main interpreter's entries (pyexamples among them), so that it imports
gilbench and users' scripts from where the main interpreter does.
"""

import sys


def prepend(entries):
    """Put the entries not on sys.path yet at its front, in their order."""
    sys.path[0:0] = [p for p in entries if p not in sys.path]
