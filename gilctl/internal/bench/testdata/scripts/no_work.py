"""Defines no work function."""


def setup():
    pass
