# A syntax error in the script itself: python's SyntaxError format.
print("never runs")
def broken(:
    pass
