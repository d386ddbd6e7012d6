# spawn_by_default.py: run once at Start (unless Config.ForkMultiprocessing).
# Makes "spawn" multiprocessing's default start method the first time
# multiprocessing is imported. Its default on Linux before 3.14 is "fork",
# and forking a Go process leaves the child with one thread of a runtime
# that expects many. The default is changed without locking it in:
# set_start_method() and get_context("fork") still work.
import sys

class _GilkitSpawnByDefault:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "multiprocessing":
            return None
        sys.meta_path.remove(_GilkitSpawnByDefault)
        import importlib.util
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_prefer_spawn(module):
            exec_module(module)
            try:
                ctx = module.context
                ctx._default_context._default_context = ctx._concrete_contexts["spawn"]
            except (AttributeError, KeyError):
                pass

        spec.loader.exec_module = exec_and_prefer_spawn
        return spec

if "multiprocessing" not in sys.modules:
    sys.meta_path.insert(0, _GilkitSpawnByDefault)
