def work(i, n):
    pass
