"""work() raises for the second worker only."""


def work(i, n):
    if i == 1:
        return 1 / 0
