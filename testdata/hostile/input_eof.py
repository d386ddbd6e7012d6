# input() at end of input: EOFError.
print("prompt follows")
input("name? ")
