# The article's refcount snippet: identical on the embedded interpreter.
import sys
a = "Geek"
print(sys.getrefcount(a))
b = a
print(sys.getrefcount(a))
