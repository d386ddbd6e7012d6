"""work takes the wrong arguments."""


def work(i):
    pass
