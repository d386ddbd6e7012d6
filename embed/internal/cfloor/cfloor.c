// cfloor.c: the C loops' bodies, written against CPython's C API directly,
// on the interpreter that package embed started. Nothing here knows embed's
// thread states: cfloor keeps its own, and runs only on threads it holds
// (see Thread in cfloor.go), so embed never meets one of them.

// Python.h comes first, as package embed's compat.h does it: 3.15's
// pyconfig.h asks for POSIX 2024, and values a system header settled on
// first would only make it warn.
#undef _POSIX_C_SOURCE
#undef _XOPEN_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "cfloor.h"

// CF_HAVE_PEP788: PyThreadState_EnsureFromView and finalization guards
// (PEP 788, CPython 3.15), as package embed's compat.h names them.
#define CF_HAVE_PEP788 (PY_VERSION_HEX >= 0x030F0000)

int cf_have_pep788(void) { return CF_HAVE_PEP788; }

int cf_running(void) { return Py_IsInitialized(); }

int cf_seen(void) { return PyGILState_GetThisThreadState() != NULL; }

// take_error clears the raised exception and returns its repr (malloc'd).
static char *take_error(void) {
#if PY_VERSION_HEX >= 0x030C0000
	PyObject *exc = PyErr_GetRaisedException();
#else
	PyObject *type, *exc, *tb;
	PyErr_Fetch(&type, &exc, &tb);
	PyErr_NormalizeException(&type, &exc, &tb);
	Py_XDECREF(type);
	Py_XDECREF(tb);
#endif
	PyObject *repr = exc != NULL ? PyObject_Repr(exc) : NULL;
	const char *s = repr != NULL ? PyUnicode_AsUTF8(repr) : NULL;
	char *msg = strdup(s != NULL ? s : "an exception that could not be formatted");
	PyErr_Clear();
	Py_XDECREF(repr);
	Py_XDECREF(exc);
	return msg;
}

uintptr_t cf_compile(const char *src, const char *name, char **err) {
	PyGILState_STATE s = PyGILState_Ensure();
	PyObject *fn = NULL;
	PyObject *builtins = PyImport_ImportModule("builtins");
	PyObject *globals = PyDict_New();
	if (builtins == NULL || globals == NULL || PyDict_SetItemString(globals, "__builtins__", builtins) < 0) {
		*err = take_error();
		goto done;
	}
	PyObject *r = PyRun_String(src, Py_file_input, globals, globals);
	if (r == NULL) {
		*err = take_error();
		goto done;
	}
	Py_DECREF(r);
	fn = PyDict_GetItemString(globals, name); // borrowed
	if (fn == NULL || !PyCallable_Check(fn)) {
		fn = NULL;
		*err = strdup("the source binds no callable to that name");
		goto done;
	}
	Py_INCREF(fn); // never dropped: a Func lives as long as the process
done:
	Py_XDECREF(globals);
	Py_XDECREF(builtins);
	PyGILState_Release(s);
	return (uintptr_t)fn;
}

// call calls fn and drops its result or its exception.
static inline int call(uintptr_t fn) {
	PyObject *r = PyObject_CallNoArgs((PyObject *)fn);
	if (r == NULL) {
		PyErr_Clear();
		return -1;
	}
	Py_DECREF(r);
	return 0;
}

// tl_kept is the thread state cfloor created for this thread in the main
// interpreter. The C code ends up in the executable, so the initial-exec
// TLS model (one load, no __tls_get_addr) is valid, as in package embed.
static __thread __attribute__((tls_model("initial-exec"))) PyThreadState *tl_kept;

// PyThreadState_New may be called without the GIL, "but [the GIL] may be
// held if it is necessary to serialize calls to this function": like
// package embed (attach.c), cfloor serializes its own calls with a lock.
// Against embed's calls, CPython's own lock over the list of thread states
// serializes them (HEAD_LOCK in new_threadstate).
static pthread_mutex_t new_tstate_lock = PTHREAD_MUTEX_INITIALIZER;

static PyThreadState *kept(void) {
	if (tl_kept == NULL) {
		pthread_mutex_lock(&new_tstate_lock);
		tl_kept = PyThreadState_New(PyInterpreterState_Main());
		pthread_mutex_unlock(&new_tstate_lock);
	}
	return tl_kept;
}

int cf_keep(void) { return kept() != NULL ? 0 : -1; }

void cf_forget(void) {
	if (tl_kept == NULL) return;
	PyEval_RestoreThread(tl_kept);
	PyThreadState_Clear(tl_kept);
	PyThreadState_DeleteCurrent();
	tl_kept = NULL;
}

int cf_kept_call(uintptr_t fn) {
	PyThreadState *ts = kept();
	if (ts == NULL) return -1;
	PyEval_RestoreThread(ts);
	int rc = call(fn);
	PyEval_SaveThread();
	return rc;
}

int cf_gilstate_call(uintptr_t fn) {
	PyGILState_STATE s = PyGILState_Ensure();
	int rc = call(fn);
	PyGILState_Release(s);
	return rc;
}

void cf_nothing(void) {}

#if CF_HAVE_PEP788
static PyInterpreterView *main_view;
static pthread_once_t main_view_once = PTHREAD_ONCE_INIT;

// A view needs no thread state and stays valid after the interpreter is
// gone; one for the process, never closed (as in embed's guard.c).
static void make_main_view(void) { main_view = PyInterpreterView_FromMain(); }

static PyInterpreterView *view_of_main(void) {
	pthread_once(&main_view_once, make_main_view);
	return main_view;
}

int cf_ensure_call(uintptr_t fn) {
	if (view_of_main() == NULL) return -1;
	PyThreadStateToken *t = PyThreadState_EnsureFromView(main_view);
	if (t == NULL) return -1;
	int rc = call(fn);
	PyThreadState_Release(t);
	return rc;
}

int cf_guarded_kept_call(uintptr_t fn) {
	if (view_of_main() == NULL) return -1;
	PyInterpreterGuard *g = PyInterpreterGuard_FromView(main_view);
	if (g == NULL) return -1;
	int rc = cf_kept_call(fn);
	PyInterpreterGuard_Close(g);
	return rc;
}
#else
int cf_ensure_call(uintptr_t fn) {
	(void)fn;
	return -1;
}

int cf_guarded_kept_call(uintptr_t fn) {
	(void)fn;
	return -1;
}
#endif
