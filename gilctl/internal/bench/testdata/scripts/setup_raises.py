"""setup() fails, as when a database cannot be reached."""


def setup():
    raise ConnectionError("cannot reach the database")


def work(i, n):
    pass
