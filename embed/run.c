// run.c: running code, calling, and the value helpers conversion needs.
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

// compile_with_nul hands source that holds a NUL byte to Python's own
// compile(), which rejects it exactly as python does ("source code string
// cannot contain null bytes"); Py_CompileString would see only the part
// before the NUL and run that.
static PyObject *compile_with_nul(const char *src, Py_ssize_t n, const char *filename, int eval) {
	PyObject *compile = PyDict_GetItemString(PyEval_GetBuiltins(), "compile"); // borrowed
	if (compile == NULL) {
		PyErr_SetString(PyExc_RuntimeError, "builtins.compile is missing");
		return NULL;
	}
	return PyObject_CallFunction(compile, "y#ss", src, n, filename, eval ? "eval" : "exec");
}

PyObject *gk_run(const char *src, Py_ssize_t n, const char *filename, PyObject *globals, int eval) {
	PyObject *code = memchr(src, 0, (size_t)n) != NULL
	                     ? compile_with_nul(src, n, filename, eval)
	                     : Py_CompileString(src, filename, eval ? Py_eval_input : Py_file_input);
	if (code == NULL) return NULL;
	PyObject *r = PyEval_EvalCode(code, globals, globals);
	Py_DECREF(code);
	return gk_back_in_go(r);
}

PyObject *gk_run_file(const char *path, PyObject *globals) {
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
	// Parsing from the file keeps the AST alive while the code runs, as
	// `python FILE` does; sys.getrefcount results match it exactly.
	return gk_back_in_go(PyRun_FileExFlags(fp, path, Py_file_input, globals, globals, 1, NULL));
}

PyObject *gk_call(PyObject *callable, PyObject *args, PyObject *kwargs) {
	return gk_back_in_go(PyObject_Call(callable, args, kwargs));
}

PyObject *gk_call0(uintptr_t callable) { return gk_back_in_go(PyObject_CallNoArgs((PyObject *)callable)); }

PyObject *gk_import(const char *name) { return gk_back_in_go(PyImport_ImportModule(name)); }

PyObject *gk_getattr(PyObject *o, const char *name) { return gk_back_in_go(PyObject_GetAttrString(o, name)); }

PyObject *gk_str(PyObject *o) { return gk_back_in_go(PyObject_Str(o)); }

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

PyObject *gk_str_surrogateescape(PyObject *o) {
	PyErr_Clear();
	return PyUnicode_AsEncodedString(o, "utf-8", "surrogateescape");
}

long long gk_long_ll(PyObject *o, int *overflow) { return PyLong_AsLongLongAndOverflow(o, overflow); }

PyObject *gk_dict_items(PyObject *o) { return PyDict_Items(o); }

PyObject *gk_none_ptr(void) { return Py_None; }
PyObject *gk_true_ptr(void) { return Py_True; }
PyObject *gk_false_ptr(void) { return Py_False; }

PyObject *gk_seq_item(PyObject *o, Py_ssize_t i) {
	if (PyTuple_Check(o)) return Py_NewRef(PyTuple_GET_ITEM(o, i));
	return gk_list_get_item_ref(o, i); // safe against concurrent mutation on free-threaded builds
}

Py_ssize_t gk_seq_len(PyObject *o) { return PyTuple_Check(o) ? PyTuple_GET_SIZE(o) : PyList_Size(o); }

PyObject *gk_new_list(Py_ssize_t n) { return PyList_New(n); }
PyObject *gk_new_tuple(Py_ssize_t n) { return PyTuple_New(n); }
void gk_list_set(PyObject *l, Py_ssize_t i, PyObject *v) { PyList_SET_ITEM(l, i, v); }
void gk_tuple_set(PyObject *t, Py_ssize_t i, PyObject *v) { PyTuple_SET_ITEM(t, i, v); }
int gk_dict_set(PyObject *d, PyObject *k, PyObject *v) { return gk_back_in_go_rc(PyDict_SetItem(d, k, v)); } // hash() and == may run Python
char *gk_bytes_data(PyObject *o, Py_ssize_t *n) {
	char *p = NULL;
	if (PyBytes_AsStringAndSize(o, &p, n) < 0) return NULL;
	return p;
}
const char *gk_type_name(PyObject *o) { return Py_TYPE(o)->tp_name; }
void gk_incref(PyObject *o) { Py_INCREF(o); }
void gk_decref(PyObject *o) {
	Py_DECREF(o); // may run __del__
	gk_back_in_go_rc(0);
}

// ---- per-thread capture of sys.stdout / sys.stderr ------------------------

// The router replaces sys.stdout and sys.stderr once; writes from a thread
// that is capturing go to that thread's buffer, all others pass through.
// Several goroutines can capture at once, each into its own buffer.
//
// Many goroutines may capture for the first time at once, and on a
// free-threaded build they really run at once: the module is created when
// the interpreter starts (gk_capture_prepare), not on first use, and the
// routers are installed under a lock. gk_capture_end finds the very buffer
// gk_capture_begin pushed (through _mine), not whatever sys.stdout is by
// then.
//
// Pushing and popping buffers is done in C, with dict and list operations
// that run no bytecode: an interrupt (which CPython raises at a bytecode
// boundary) cannot land between two of them and leave a buffer behind that
// would swallow every later write of the thread. Only creating a router
// runs Python code, before anything is pushed.
// The module's source is py/capture.py (gk_capture_src, set from Go).

static PyObject *find_capture_module(void) {
	PyObject *name = PyUnicode_FromString("_gilkit_capture");
	if (name == NULL) return NULL;
	PyObject *m = PyImport_GetModule(name); // new reference, or NULL
	Py_DECREF(name);
	return m;
}

// create_lock serializes creating the module again after code removed it
// from sys.modules: two copies would mean two router locks, and two routers
// installed over each other lose output. It is waited for with the thread
// state released (as _thread.lock.acquire does): its holder runs Python code
// and may need the GIL back.
static PyThread_type_lock create_lock;

static void lock_create(void) {
	if (PyThread_acquire_lock(create_lock, NOWAIT_LOCK)) return;
	Py_BEGIN_ALLOW_THREADS
	PyThread_acquire_lock(create_lock, WAIT_LOCK);
	Py_END_ALLOW_THREADS
}

// capture_module returns the router module of the current interpreter (each
// subinterpreter has its own), creating it if it is missing.
static PyObject *capture_module(void) {
	PyObject *m = find_capture_module();
	if (m != NULL || PyErr_Occurred()) return m;
	lock_create();
	m = find_capture_module();
	if (m != NULL || PyErr_Occurred()) {
		PyThread_release_lock(create_lock);
		return m;
	}
	PyObject *mods = PyImport_GetModuleDict(); // borrowed
	m = PyModule_New("_gilkit_capture");
	if (m == NULL) goto fail;
	PyObject *d = PyModule_GetDict(m);
	if (PyDict_SetItemString(d, "__builtins__", PyEval_GetBuiltins()) < 0) goto fail;
	PyObject *r = PyRun_String(gk_capture_src, Py_file_input, d, d);
	if (r == NULL) goto fail;
	Py_DECREF(r);
	if (PyDict_SetItemString(mods, "_gilkit_capture", m) < 0) goto fail;
	PyThread_release_lock(create_lock);
	return m;
fail:
	PyThread_release_lock(create_lock);
	Py_XDECREF(m);
	return NULL;
}

int gk_capture_prepare(void) {
	if (create_lock == NULL && (create_lock = PyThread_allocate_lock()) == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	PyObject *m = capture_module();
	Py_XDECREF(m);
	return m == NULL ? -1 : 0;
}

// capture_parts borrows the module's _router, _mine and io.StringIO.
static int capture_parts(PyObject *m, PyObject **router, PyObject **mine, PyObject **stringio) {
	PyObject *d = PyModule_GetDict(m); // borrowed
	*router = PyDict_GetItemString(d, "_router");
	*mine = PyDict_GetItemString(d, "_mine");
	PyObject *io = PyDict_GetItemString(d, "io");
	*stringio = io ? PyObject_GetAttrString(io, "StringIO") : NULL; // new reference
	if (*router == NULL || *mine == NULL || *stringio == NULL) {
		Py_XDECREF(*stringio);
		if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "gilkit's capture module is incomplete");
		return -1;
	}
	return 0;
}

// list_push appends v to the list d[key], creating it.
static int list_push(PyObject *d, PyObject *key, PyObject *v) {
	PyObject *empty = PyList_New(0);
	PyObject *list = empty ? PyDict_SetDefault(d, key, empty) : NULL; // borrowed
	int rc = list ? PyList_Append(list, v) : -1;
	Py_XDECREF(empty);
	return rc;
}

// list_pop removes and returns the last item of the list d[key] (a new
// reference; NULL without an exception when there is none), and removes
// the key once the list is empty.
static PyObject *list_pop(PyObject *d, PyObject *key) {
	PyObject *list = PyDict_GetItemWithError(d, key); // borrowed
	if (list == NULL || !PyList_Check(list)) return NULL;
	Py_ssize_t n = PyList_Size(list);
	PyObject *last = n > 0 ? PySequence_GetItem(list, n - 1) : NULL;
	if (last != NULL && PyList_SetSlice(list, n - 1, n, NULL) < 0) Py_CLEAR(last);
	if (PyList_Size(list) == 0 && PyDict_DelItem(d, key) < 0) PyErr_Clear();
	return last;
}

static int capture_begin(int out, int err);

int gk_capture_begin(int out, int err) {
	gk_helper_begin();
	int rc = capture_begin(out, err);
	gk_helper_end(0);
	return gk_back_in_go_rc(rc);
}

static int capture_begin(int out, int err) {
	PyObject *m = capture_module();
	if (m == NULL) return -1;
	PyObject *router, *mine, *stringio;
	if (capture_parts(m, &router, &mine, &stringio) < 0) {
		Py_DECREF(m);
		return -1;
	}
	const char *names[2];
	int n = 0;
	if (out) names[n++] = "stdout";
	if (err) names[n++] = "stderr";
	PyObject *routers[2] = {NULL, NULL}, *bufs[2] = {NULL, NULL}, *bufstacks[2] = {NULL, NULL};
	PyObject *me = PyLong_FromUnsignedLong(PyThread_get_thread_ident());
	int rc = me ? 0 : -1;
	// Everything that can run Python code or fail comes first...
	for (int i = 0; rc == 0 && i < n; i++) {
		routers[i] = PyObject_CallFunction(router, "s", names[i]);
		bufs[i] = routers[i] ? PyObject_CallNoArgs(stringio) : NULL;
		bufstacks[i] = bufs[i] ? PyObject_GetAttrString(routers[i], "_bufs") : NULL;
		if (bufstacks[i] == NULL) rc = -1;
	}
	// ...then the pushes, which run no bytecode.
	for (int i = 0; rc == 0 && i < n; i++) {
		PyObject *key = Py_BuildValue("(sO)", names[i], me);
		PyObject *entry = key ? PyTuple_Pack(2, routers[i], bufs[i]) : NULL;
		if (entry == NULL || list_push(bufstacks[i], me, bufs[i]) < 0 || list_push(mine, key, entry) < 0) rc = -1;
		Py_XDECREF(entry);
		Py_XDECREF(key);
	}
	for (int i = 0; i < 2; i++) {
		Py_XDECREF(routers[i]);
		Py_XDECREF(bufs[i]);
		Py_XDECREF(bufstacks[i]);
	}
	Py_XDECREF(me);
	Py_DECREF(stringio);
	Py_DECREF(m);
	return rc;
}

// capture_pop ends the capture of one stream begun by this thread and
// returns what it captured (a new str; "" when nothing was begun).
static PyObject *capture_pop(PyObject *mine, const char *name, PyObject *me) {
	PyObject *key = Py_BuildValue("(sO)", name, me);
	PyObject *entry = key ? list_pop(mine, key) : NULL;
	Py_XDECREF(key);
	if (entry == NULL) return PyErr_Occurred() ? NULL : PyUnicode_FromString("");
	PyObject *r = PyTuple_GET_ITEM(entry, 0), *buf = PyTuple_GET_ITEM(entry, 1); // borrowed
	PyObject *bufstacks = PyObject_GetAttrString(r, "_bufs");
	PyObject *stack = bufstacks ? PyDict_GetItemWithError(bufstacks, me) : NULL; // borrowed
	if (stack != NULL && PyList_Check(stack)) {
		Py_ssize_t n = PyList_Size(stack);
		PyObject *top = n > 0 ? PySequence_GetItem(stack, n - 1) : NULL;
		if (top == buf) PyList_SetSlice(stack, n - 1, n, NULL);
		Py_XDECREF(top);
		if (PyList_Size(stack) == 0) PyDict_DelItem(bufstacks, me);
	}
	PyErr_Clear(); // the buffer is off the stacks either way
	Py_XDECREF(bufstacks);
	PyObject *text = PyObject_CallMethod(buf, "getvalue", NULL);
	Py_DECREF(entry);
	return text;
}

static char *dup_n(PyObject *s, Py_ssize_t *n) {
	const char *p = PyUnicode_AsUTF8AndSize(s, n);
	if (p == NULL) return NULL;
	char *r = malloc((size_t)*n + 1);
	memcpy(r, p, (size_t)*n + 1);
	return r;
}

static int capture_end(int want_out, int want_err, char **out, Py_ssize_t *nout, char **err, Py_ssize_t *nerr);

int gk_capture_end(int want_out, int want_err, char **out, Py_ssize_t *nout, char **err, Py_ssize_t *nerr) {
	gk_helper_begin();
	int rc = capture_end(want_out, want_err, out, nout, err, nerr);
	gk_helper_end(0);
	return gk_back_in_go_rc(rc);
}

static int capture_end(int want_out, int want_err, char **out, Py_ssize_t *nout, char **err, Py_ssize_t *nerr) {
	*out = *err = NULL;
	*nout = *nerr = 0;
	PyObject *m = capture_module();
	if (m == NULL) return -1;
	PyObject *router, *mine, *stringio;
	if (capture_parts(m, &router, &mine, &stringio) < 0) {
		Py_DECREF(m);
		return -1;
	}
	Py_DECREF(stringio);
	PyObject *me = PyLong_FromUnsignedLong(PyThread_get_thread_ident());
	int ok = me != NULL;
	// Both streams are popped whatever happens to the first.
	PyObject *o = ok && want_out ? capture_pop(mine, "stdout", me) : NULL;
	PyObject *e = ok && want_err ? capture_pop(mine, "stderr", me) : NULL;
	if (want_out) ok &= o != NULL && (*out = dup_n(o, nout)) != NULL;
	if (want_err) ok &= e != NULL && (*err = dup_n(e, nerr)) != NULL;
	Py_XDECREF(o);
	Py_XDECREF(e);
	Py_XDECREF(me);
	Py_DECREF(m);
	return ok ? 0 : -1;
}
