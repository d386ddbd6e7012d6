// subinterp.c: subinterpreters with their own GIL (PEP 684, CPython 3.12+).
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int alive; // subinterpreters that exist (atomic)

int gk_subinterpreters(void) { return __atomic_load_n(&alive, __ATOMIC_ACQUIRE); }

#if GK_HAVE_OWN_GIL_SUBINTERPRETERS
// ---- ctypes callbacks and PyGILState (CPython gh-101767) -------------------
//
// A C callback made with ctypes calls PyGILState_Ensure. On a thread that
// has no thread state (one that C code started), that attaches the main
// interpreter, whatever interpreter made the callback: a subinterpreter's
// Python function would then run in the main interpreter, with objects of
// another interpreter and without its GIL. CPython has no way to say which
// interpreter such a thread should attach, so in gilkit's subinterpreters
// every ctypes callback calls its Python function through guard(), which
// refuses to run it on a thread attached to any other interpreter. The
// check runs before anything of the subinterpreter is touched; the
// RuntimeError is reported by ctypes in the interpreter that called it.
//
// A callback called on a thread of its own subinterpreter (qsort on the
// subinterpreter's thread, a threading.Thread of the subinterpreter) runs.

// guard is called with self = (interpreter capsule, callable).
static PyObject *guard(PyObject *self, PyObject *args, PyObject *kwargs) {
	PyInterpreterState *own = PyCapsule_GetPointer(PyTuple_GET_ITEM(self, 0), NULL);
	if (own == NULL) return NULL;
	if (PyInterpreterState_Get() != own) {
		PyErr_SetString(PyExc_RuntimeError,
		                "gilkit: a ctypes callback of a subinterpreter was called on a thread that CPython attached to "
		                "another interpreter (PyGILState_Ensure attaches the main interpreter on a thread that C code "
		                "started: CPython gh-101767), so it did not run; call it only from threads of its own "
		                "subinterpreter, or create it in the main interpreter");
		return NULL;
	}
	return PyObject_Call(PyTuple_GET_ITEM(self, 1), args, kwargs);
}

static PyMethodDef guard_def = {"gilkit_interpreter_guard", (PyCFunction)(void (*)(void))guard, METH_VARARGS | METH_KEYWORDS,
                                "Calls the callable only on a thread attached to its own interpreter."};

// wrap(callable) returns guard bound to (this interpreter, callable).
static PyObject *wrap(PyObject *unused, PyObject *callable) {
	(void)unused;
	PyObject *capsule = PyCapsule_New(PyInterpreterState_Get(), NULL, NULL);
	PyObject *self = capsule ? PyTuple_Pack(2, capsule, callable) : NULL;
	Py_XDECREF(capsule);
	PyObject *fn = self ? PyCFunction_New(&guard_def, self) : NULL;
	Py_XDECREF(self);
	return fn;
}

static PyMethodDef wrap_def = {"wrap", wrap, METH_O, NULL};

// py/ctypes_guard.py (gk_ctypes_guard_src, set from Go) wraps ctypes'
// callback prototypes when ctypes is imported (the hook removes itself
// then): the prototype is subclassed with a __new__ that passes the Python
// function through wrap.

// install_ctypes_guard runs gk_ctypes_guard_src in the current (new) interpreter.
static int install_ctypes_guard(void) {
	PyObject *globals = gk_new_namespace("_gilkit_ctypes_guard");
	PyObject *w = globals ? PyCFunction_New(&wrap_def, NULL) : NULL;
	int rc = (w == NULL || PyDict_SetItemString(globals, "wrap", w) < 0) ? -1 : 0;
	PyObject *r = rc == 0 ? PyRun_String(gk_ctypes_guard_src, Py_file_input, globals, globals) : NULL;
	if (r == NULL) rc = -1;
	Py_XDECREF(r);
	Py_XDECREF(w);
	Py_XDECREF(globals);
	return rc;
}

PyThreadState *gk_sub_new(char **err) {
	PyThreadState *main_ts = PyThreadState_Get();
	PyInterpreterConfig cfg = {
		.use_main_obmalloc = 0,
		.allow_fork = 0,
		.allow_exec = 0,
		.allow_threads = 1,
		.allow_daemon_threads = 0,
		.check_multi_interp_extensions = 1,
		.gil = PyInterpreterConfig_OWN_GIL,
	};
	PyThreadState *sub = NULL;
	PyStatus st = Py_NewInterpreterFromConfig(&sub, &cfg);
	if (PyStatus_Exception(st)) {
		const char *msg = st.err_msg ? st.err_msg : "unknown error";
		*err = strdup(msg);
		sub = NULL;
	} else {
		__atomic_add_fetch(&alive, 1, __ATOMIC_ACQ_REL);
		if (gk_capture_prepare() < 0 || install_ctypes_guard() < 0) {
			// The new interpreter is current: its own capture module and guard.
			PyErr_Print();
			PyErr_Clear();
		}
	}
	// Back to the main interpreter: PyThreadState_Swap releases the new
	// interpreter's GIL and takes the main one.
	if (gk_tstate_unchecked() != main_ts) PyThreadState_Swap(main_ts);
	return sub;
}

void gk_sub_end(PyThreadState *ts) {
	PyEval_RestoreThread(ts);
	Py_EndInterpreter(ts); // leaves no thread state current
	__atomic_sub_fetch(&alive, 1, __ATOMIC_ACQ_REL);
}
#else
PyThreadState *gk_sub_new(char **err) {
	*err = strdup("subinterpreters with their own GIL need CPython 3.12 or newer (this is " PY_VERSION ")");
	return NULL;
}
void gk_sub_end(PyThreadState *ts) { (void)ts; }
#endif
