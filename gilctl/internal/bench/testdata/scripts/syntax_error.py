# A syntax error on line 3.

def work(i, n)
    pass
