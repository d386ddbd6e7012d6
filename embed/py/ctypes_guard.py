# ctypes_guard.py: run in every new subinterpreter (subinterp.c). Wraps
# ctypes' callback prototypes when ctypes is imported (the hook removes
# itself then): the prototype is subclassed with a __new__ that passes the
# Python function through wrap, which C defines in this namespace
# (CPython gh-101767: a callback on a thread with no thread state would
# attach the main interpreter).
import sys
class _GilkitCtypesGuard:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != 'ctypes':
            return None
        sys.meta_path.remove(_GilkitCtypesGuard)
        import importlib.util
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        def exec_and_guard(module):
            exec_module(module)
            for name in ('CFUNCTYPE', 'PYFUNCTYPE'):
                proto_of = getattr(module, name, None)
                if proto_of is not None:
                    setattr(module, name, _guarded_maker(proto_of))
        spec.loader.exec_module = exec_and_guard
        return spec
def _guarded_maker(proto_of, wrap=wrap):
    cache = {}
    def make(*args, **kwargs):
        proto = proto_of(*args, **kwargs)
        guarded = cache.get(proto)
        if guarded is None:
            def __new__(cls, *a):
                if len(a) == 1 and callable(a[0]) and not isinstance(a[0], (int, tuple)):
                    a = (wrap(a[0]),)
                return proto.__new__(cls, *a)
            guarded = type(proto)(proto.__name__, (proto,), {'_argtypes_': proto._argtypes_,
                '_restype_': proto._restype_, '_flags_': proto._flags_, '__new__': __new__,
                '__module__': proto.__module__, '__qualname__': proto.__qualname__})
            cache[proto] = guarded
        return guarded
    make.__doc__ = proto_of.__doc__
    return make
if 'ctypes' not in sys.modules:
    sys.meta_path.insert(0, _GilkitCtypesGuard)
