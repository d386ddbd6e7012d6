# The article's reference-count demo: sys.getrefcount of a string before and
# after binding a second name to it. The article says it prints 4 then 5.
# That holds on 3.11 and again on 3.13's GIL build. On 3.12 interned strings
# are immortal (PEP 683) and both lines print a huge constant instead; so do
# free-threaded builds (3.13t). Run it and see.
import sys

geek_var = "Geek"
print(sys.getrefcount(geek_var))

string_gfg = geek_var
print(sys.getrefcount(string_gfg))
