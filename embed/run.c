// run.c: running code, calling, and the value helpers conversion needs.
#include <stdlib.h>
#include <string.h>
#include "gilkit_main.h"

PyObject *gk_new_namespace(const char *name) {
	PyObject *d = PyDict_New();
	if (d == NULL) return NULL;
	PyObject *n = PyUnicode_FromString(name);
	if (n == NULL || PyDict_SetItemString(d, "__name__", n) < 0 ||
	    PyDict_SetItemString(d, "__builtins__", PyEval_GetBuiltins()) < 0) {
		Py_XDECREF(n);
		Py_DECREF(d);
		return NULL;
	}
	Py_DECREF(n);
	return d;
}

PyObject *gk_main_dict(void) {
	PyObject *m = PyImport_AddModule("__main__"); // borrowed
	if (m == NULL) return NULL;
	PyObject *d = PyModule_GetDict(m);
	Py_XINCREF(d);
	return d;
}

// back_in_go ends a child forked by the Python code that just returned:
// the child must not return into the Go runtime (see fork.c).
static PyObject *back_in_go(PyObject *result) {
	if (gk_forked_child()) gk_exit_child(result);
	return result;
}

PyObject *gk_run(const char *src, const char *filename, PyObject *globals, int eval) {
	PyObject *code = Py_CompileString(src, filename, eval ? Py_eval_input : Py_file_input);
	if (code == NULL) return NULL;
	PyObject *r = PyEval_EvalCode(code, globals, globals);
	Py_DECREF(code);
	return back_in_go(r);
}

PyObject *gk_run_file(const char *path, PyObject *globals) {
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
	// Parsing from the file keeps the AST alive while the code runs, as
	// `python FILE` does; sys.getrefcount results match it exactly.
	return back_in_go(PyRun_FileExFlags(fp, path, Py_file_input, globals, globals, 1, NULL));
}

PyObject *gk_call(PyObject *callable, PyObject *args, PyObject *kwargs) {
	return back_in_go(PyObject_Call(callable, args, kwargs));
}

PyObject *gk_call0(PyObject *callable) { return back_in_go(PyObject_CallNoArgs(callable)); }

PyObject *gk_str_n(const char *s, Py_ssize_t n) { return PyUnicode_DecodeUTF8(s, n, "surrogateescape"); }

PyObject *gk_bytes_n(const char *s, Py_ssize_t n) { return PyBytes_FromStringAndSize(s, n); }

PyObject *gk_long_from_string(const char *s) { return PyLong_FromString(s, NULL, 16); }

char *gk_long_to_string(PyObject *o) {
	PyObject *s = PyNumber_ToBase(o, 16); // "0x1f" or "-0x1f"
	if (s == NULL) return NULL;
	const char *p = PyUnicode_AsUTF8(s);
	char *r = p ? strdup(p) : NULL;
	Py_DECREF(s);
	return r;
}

int gk_kind(PyObject *o) {
	if (o == Py_None) return GK_NONE;
	if (PyBool_Check(o)) return GK_BOOL;
	if (PyLong_Check(o)) return GK_INT;
	if (PyFloat_Check(o)) return GK_FLOAT;
	if (PyUnicode_Check(o)) return GK_STR;
	if (PyBytes_Check(o)) return GK_BYTES;
	if (PyList_Check(o)) return GK_LIST;
	if (PyTuple_Check(o)) return GK_TUPLE;
	if (PyDict_Check(o)) return GK_DICT;
	return GK_OTHER;
}

const char *gk_str_utf8(PyObject *o, Py_ssize_t *n) { return PyUnicode_AsUTF8AndSize(o, n); }

long long gk_long_ll(PyObject *o, int *overflow) { return PyLong_AsLongLongAndOverflow(o, overflow); }

PyObject *gk_dict_items(PyObject *o) { return PyDict_Items(o); }

PyObject *gk_none_ptr(void) { return Py_None; }
PyObject *gk_true_ptr(void) { return Py_True; }
PyObject *gk_false_ptr(void) { return Py_False; }

PyObject *gk_seq_item(PyObject *o, Py_ssize_t i) {
	if (PyTuple_Check(o)) return Py_NewRef(PyTuple_GET_ITEM(o, i));
#if PY_VERSION_HEX >= 0x030D0000
	return PyList_GetItemRef(o, i); // safe against concurrent mutation on free-threaded builds
#else
	return Py_XNewRef(PyList_GetItem(o, i));
#endif
}

Py_ssize_t gk_seq_len(PyObject *o) { return PyTuple_Check(o) ? PyTuple_GET_SIZE(o) : PyList_Size(o); }

PyObject *gk_new_list(Py_ssize_t n) { return PyList_New(n); }
PyObject *gk_new_tuple(Py_ssize_t n) { return PyTuple_New(n); }
void gk_list_set(PyObject *l, Py_ssize_t i, PyObject *v) { PyList_SET_ITEM(l, i, v); }
void gk_tuple_set(PyObject *t, Py_ssize_t i, PyObject *v) { PyTuple_SET_ITEM(t, i, v); }
int gk_dict_set(PyObject *d, PyObject *k, PyObject *v) { return PyDict_SetItem(d, k, v); }
char *gk_bytes_data(PyObject *o, Py_ssize_t *n) {
	char *p = NULL;
	if (PyBytes_AsStringAndSize(o, &p, n) < 0) return NULL;
	return p;
}
const char *gk_type_name(PyObject *o) { return Py_TYPE(o)->tp_name; }
void gk_incref(PyObject *o) { Py_INCREF(o); }
void gk_decref(PyObject *o) { Py_DECREF(o); }

// ---- per-thread capture of sys.stdout / sys.stderr ------------------------

// The router replaces sys.stdout and sys.stderr once; writes from a thread
// that is capturing go to that thread's buffer, all others pass through.
// Several goroutines can capture at once, each into its own buffer.
static const char capture_src[] =
	"import sys, io, _thread\n"
	"class Router:\n"
	"    def __init__(self, fallback):\n"
	"        self._fallback = fallback\n"
	"        self._bufs = {}\n"
	"    def _buf(self):\n"
	"        stack = self._bufs.get(_thread.get_ident())\n"
	"        return stack[-1] if stack else None\n"
	"    def write(self, s):\n"
	"        b = self._buf()\n"
	"        if b is not None:\n"
	"            return b.write(s)\n"
	"        if self._fallback is None:\n"
	"            return len(s)\n"
	"        return self._fallback.write(s)\n"
	"    def flush(self):\n"
	"        if self._buf() is None and self._fallback is not None:\n"
	"            self._fallback.flush()\n"
	"    def __getattr__(self, name):\n"
	"        return getattr(self._fallback, name)\n"
	"def begin(names):\n"
	"    for name in names:\n"
	"        r = getattr(sys, name)\n"
	"        if not isinstance(r, Router):\n"
	"            r = Router(r)\n"
	"            setattr(sys, name, r)\n"
	"        r._bufs.setdefault(_thread.get_ident(), []).append(io.StringIO())\n"
	"def end(names):\n"
	"    out = []\n"
	"    me = _thread.get_ident()\n"
	"    for name in names:\n"
	"        r = getattr(sys, name)\n"
	"        stack = r._bufs.get(me) if isinstance(r, Router) else None\n"
	"        if not stack:\n"
	"            out.append('')\n"
	"            continue\n"
	"        out.append(stack.pop().getvalue())\n"
	"        if not stack:\n"
	"            del r._bufs[me]\n"
	"    return tuple(out)\n";

// capture_module returns the router module of the current interpreter,
// creating it on first use (each subinterpreter gets its own).
static PyObject *capture_module(void) {
	PyObject *name = PyUnicode_FromString("_gilkit_capture");
	if (name == NULL) return NULL;
	PyObject *m = PyImport_GetModule(name); // new reference, or NULL
	Py_DECREF(name);
	if (m != NULL) return m;
	if (PyErr_Occurred()) return NULL;
	PyObject *mods = PyImport_GetModuleDict(); // borrowed
	m = PyModule_New("_gilkit_capture");
	if (m == NULL) return NULL;
	PyObject *d = PyModule_GetDict(m);
	if (PyDict_SetItemString(d, "__builtins__", PyEval_GetBuiltins()) < 0) goto fail;
	PyObject *r = PyRun_String(capture_src, Py_file_input, d, d);
	if (r == NULL) goto fail;
	Py_DECREF(r);
	if (PyDict_SetItemString(mods, "_gilkit_capture", m) < 0) goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}

static PyObject *stream_names(int out, int err) {
	if (out && err) return Py_BuildValue("(ss)", "stdout", "stderr");
	return Py_BuildValue("(s)", out ? "stdout" : "stderr");
}

int gk_capture_begin(int out, int err) {
	PyObject *m = capture_module();
	if (m == NULL) return -1;
	PyObject *names = stream_names(out, err);
	PyObject *r = names ? PyObject_CallMethod(m, "begin", "(O)", names) : NULL;
	Py_XDECREF(names);
	Py_DECREF(m);
	if (r == NULL) return -1;
	Py_DECREF(r);
	return 0;
}

static char *dup_n(PyObject *s, Py_ssize_t *n) {
	const char *p = PyUnicode_AsUTF8AndSize(s, n);
	if (p == NULL) return NULL;
	char *r = malloc((size_t)*n + 1);
	memcpy(r, p, (size_t)*n + 1);
	return r;
}

int gk_capture_end(int want_out, int want_err, char **out, Py_ssize_t *nout, char **err, Py_ssize_t *nerr) {
	*out = *err = NULL;
	*nout = *nerr = 0;
	PyObject *m = capture_module();
	if (m == NULL) return -1;
	PyObject *names = stream_names(want_out, want_err);
	PyObject *r = names ? PyObject_CallMethod(m, "end", "(O)", names) : NULL;
	Py_XDECREF(names);
	Py_DECREF(m);
	if (r == NULL) return -1;
	int i = 0, ok = 1;
	if (want_out) ok &= (*out = dup_n(PyTuple_GET_ITEM(r, i++), nout)) != NULL;
	if (want_err) ok &= (*err = dup_n(PyTuple_GET_ITEM(r, i++), nerr)) != NULL;
	Py_DECREF(r);
	return ok ? 0 : -1;
}
