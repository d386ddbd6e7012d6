# An exception message holding a lone surrogate prints escaped.
raise ValueError("bad \udcff byte")
