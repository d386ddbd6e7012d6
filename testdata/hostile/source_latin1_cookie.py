# -*- coding: latin-1 -*-
# A source file declaring its encoding.
print(len("abc"))
