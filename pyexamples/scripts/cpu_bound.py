"""A CPU-bound workload for `gilctl --script`: pure-Python arithmetic.

gilctl calls work(i, n) once per worker: worker i of n does its share of
a fixed total (strong scaling), so with n workers each does 1/n of it.

    bin/gilctl-3.12 compare --script pyexamples/scripts/cpu_bound.py
    python3 pyexamples/gilbench.py --script pyexamples/scripts/cpu_bound.py threads 2
"""

TOTAL = 1_000_000  # loop iterations in total, over all workers


def work(i, n):
    acc = 0
    for k in range(i, TOTAL, n):  # every n-th number, starting at i
        acc = (acc + k * k) % 1_000_003
    return acc
