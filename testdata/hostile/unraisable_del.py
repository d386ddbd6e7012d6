# An exception in __del__ is "ignored", with its traceback.
class C:
    def __del__(self):
        raise RuntimeError("in __del__")
c = C()
del c
print("after del")
