# Printing a lone surrogate: UnicodeEncodeError traceback.
print("ok line")
print("bad \udcff")
