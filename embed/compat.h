// compat.h: Python.h, and what gilkit meets that differs between the CPython
// versions and builds it supports (3.11 to 3.15, with the GIL and
// free-threaded), named. gilkit.h includes this instead of Python.h.
//
// This is the one place that tests PY_VERSION_HEX and Py_GIL_DISABLED. A
// difference is either a shim (a static inline function that does the same
// thing on every version) or a feature macro, 0 or 1, that a .c file tests
// with #if where a whole block exists or not. Each item says what differs
// and from which version.
#ifndef GILKIT_COMPAT_H
#define GILKIT_COMPAT_H

// 3.15: pyconfig.h asks for POSIX 2024 (_POSIX_C_SOURCE 202405L,
// _XOPEN_SOURCE 800). Where a system header was included first (every file
// cgo generates includes <stdlib.h> before gilkit's preamble), glibc's
// features.h has already settled on its own values, and pyconfig.h's
// redefinition only warns. features.h is read once, so dropping the old
// values changes nothing that was declared; it keeps 3.15 builds quiet.
#undef _POSIX_C_SOURCE
#undef _XOPEN_SOURCE

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030B0000
#error "gilkit needs CPython 3.11 or newer"
#endif

// ---- the build ------------------------------------------------------------

// GK_FREE_THREADED: 1 in a free-threaded build (compiled with
// Py_GIL_DISABLED, 3.13+: the "t" interpreters), where threads run Python
// code in parallel unless the GIL is turned back on at run time; 0 in a
// build with the GIL.
#ifdef Py_GIL_DISABLED
#define GK_FREE_THREADED 1
#else
#define GK_FREE_THREADED 0
#endif

// gk_config_set_enable_gil sets PyConfig.enable_gil (-1: CPython's default,
// 0: off, 1: on), a field only free-threaded builds have; elsewhere it does
// nothing.
static inline void gk_config_set_enable_gil(PyConfig *c, int enable_gil) {
#if GK_FREE_THREADED
	c->enable_gil = enable_gil;
#else
	(void)c;
	(void)enable_gil;
#endif
}

// ---- thread states --------------------------------------------------------

// gk_tstate_unchecked returns the current thread state, or NULL (where
// PyThreadState_Get would be a fatal error): PyThreadState_GetUnchecked,
// public from 3.13, _PyThreadState_UncheckedGet before. From 3.12 on it is
// the calling thread's own (a thread-local); before, it is the runtime-wide
// GIL holder, which may be another thread (gk_tstate_attached_here).
static inline PyThreadState *gk_tstate_unchecked(void) {
#if PY_VERSION_HEX >= 0x030D0000
	return PyThreadState_GetUnchecked();
#else
	return _PyThreadState_UncheckedGet();
#endif
}

// gk_tstate_attached_here returns the thread state attached on the calling
// thread, or NULL, on every version: before 3.12 the GIL holder counts only
// if it is this thread's own (PyGILState_GetThisThreadState).
static inline PyThreadState *gk_tstate_attached_here(void) {
#if PY_VERSION_HEX >= 0x030C0000
	return gk_tstate_unchecked();
#else
	PyThreadState *mine = PyGILState_GetThisThreadState();
	return (mine != NULL && mine == _PyThreadState_UncheckedGet()) ? mine : NULL;
#endif
}

// gk_async_exc_peek reads ts->async_exc, the asynchronous exception
// (PyThreadState_SetAsyncExc) waiting to be raised in ts; gk_async_exc_take
// clears it and returns what it held (the field's reference, or NULL). From
// 3.13 on CPython swaps the field atomically (PyThreadState_SetAsyncExc,
// the eval breaker), on every build, so gilkit does too; before, the GIL
// guards it, and gilkit touches it only on the thread that holds it.
static inline PyObject *gk_async_exc_peek(PyThreadState *ts) {
#if PY_VERSION_HEX >= 0x030D0000
	return __atomic_load_n(&ts->async_exc, __ATOMIC_ACQUIRE);
#else
	return ts->async_exc;
#endif
}

static inline PyObject *gk_async_exc_take(PyThreadState *ts) {
#if PY_VERSION_HEX >= 0x030D0000
	return __atomic_exchange_n(&ts->async_exc, NULL, __ATOMIC_ACQ_REL);
#else
	PyObject *exc = ts->async_exc;
	ts->async_exc = NULL;
	return exc;
#endif
}

// ---- exceptions -----------------------------------------------------------
//
// From 3.12 on the raised exception is one object that carries its
// traceback (PyErr_GetRaisedException, PyErr_SetRaisedException). Before,
// the error indicator is a (type, value, traceback) triple whose value may
// not be normalized yet (PyErr_Fetch, PyErr_NormalizeException,
// PyErr_Restore).

// gk_err_take takes the raised exception, normalized, with its traceback
// set on it, and clears the error indicator; NULL if none is raised.
static inline PyObject *gk_err_take(void) {
#if PY_VERSION_HEX >= 0x030C0000
	return PyErr_GetRaisedException();
#else
	PyObject *t, *v, *tb;
	PyErr_Fetch(&t, &v, &tb);
	if (t == NULL) return NULL;
	PyErr_NormalizeException(&t, &v, &tb);
	if (tb != NULL && v != NULL) PyException_SetTraceback(v, tb);
	Py_XDECREF(t);
	Py_XDECREF(tb);
	return v;
#endif
}

// gk_err_take_untraced is gk_err_take except that before 3.12 the
// traceback is dropped, not set on the exception (its __traceback__ stays
// what it was). Only gk_drop_async_exc takes the exception of signal
// handlers so; from 3.12 on the two are the same.
static inline PyObject *gk_err_take_untraced(void) {
#if PY_VERSION_HEX >= 0x030C0000
	return PyErr_GetRaisedException();
#else
	PyObject *t, *v, *tb;
	PyErr_Fetch(&t, &v, &tb);
	PyErr_NormalizeException(&t, &v, &tb);
	Py_XDECREF(t);
	Py_XDECREF(tb);
	return v;
#endif
}

// gk_err_set_raised raises exc, stealing the reference, with the traceback
// it carries (its __traceback__).
static inline void gk_err_set_raised(PyObject *exc) {
#if PY_VERSION_HEX >= 0x030C0000
	PyErr_SetRaisedException(exc);
#else
	PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, PyException_GetTraceback(exc));
#endif
}

// gk_err_saved holds the error indicator aside while other Python code
// runs: gk_err_save takes it as it is (before 3.12 not normalized) and
// clears it; gk_err_restore sets it back, stealing what was saved.
typedef struct {
	PyObject *type, *value, *tb; // from 3.12 on only value, the exception
} gk_err_saved;

static inline void gk_err_save(gk_err_saved *s) {
#if PY_VERSION_HEX >= 0x030C0000
	s->type = s->tb = NULL;
	s->value = PyErr_GetRaisedException();
#else
	PyErr_Fetch(&s->type, &s->value, &s->tb);
#endif
}

static inline void gk_err_restore(gk_err_saved *s) {
#if PY_VERSION_HEX >= 0x030C0000
	PyErr_SetRaisedException(s->value);
#else
	PyErr_Restore(s->type, s->value, s->tb);
#endif
}

// ---- objects --------------------------------------------------------------

// gk_list_get_item_ref returns a new reference to list[i], or NULL with an
// exception set: PyList_GetItemRef from 3.13 on, which is safe against the
// list changing under it in free-threaded builds; before, the borrowed
// reference of PyList_GetItem, taken.
static inline PyObject *gk_list_get_item_ref(PyObject *list, Py_ssize_t i) {
#if PY_VERSION_HEX >= 0x030D0000
	return PyList_GetItemRef(list, i);
#else
	return Py_XNewRef(PyList_GetItem(list, i));
#endif
}

// Immortal objects (PEP 683, 3.12+): None, True and False need no reference
// counting. Their reference count reads 4294967295 on 3.12 and 3.13,
// 3221225472 from 3.14 on. No C code depends on it; Go does, from the
// version cgo reports (object.go, immortalSingletons).

// ---- pending calls: interrupting without the GIL --------------------------

// GK_HAVE_ANY_THREAD_PENDING_CALLS: from 3.12 on, every thread of an
// interpreter runs its pending calls at its next eval-breaker check, and
// any thread can queue one for a given interpreter without holding a GIL
// (gk_add_pending_call). 3.11 runs them on the main thread only, so gilkit
// delivers interrupts from a goroutine that attaches instead (interrupt.c).
#define GK_HAVE_ANY_THREAD_PENDING_CALLS (PY_VERSION_HEX >= 0x030C0000)

#if GK_HAVE_ANY_THREAD_PENDING_CALLS
// Private, exported by libpython for CPython's own test modules and
// declared only in its internal headers. The last argument is
// "mainthreadonly" in 3.12, a flags word in 3.13-3.15; 0 means the same in
// both: any thread of interp may run the call. Returns 0, or -1 when the
// queue is full.
extern int _PyEval_AddPendingCall(PyInterpreterState *interp, int (*func)(void *), void *arg, int flags);

// gk_add_pending_call queues func(arg) for whichever thread of interp
// checks its eval breaker next. Returns 0, or -1 when the queue is full.
static inline int gk_add_pending_call(PyInterpreterState *interp, int (*func)(void *), void *arg) {
	return _PyEval_AddPendingCall(interp, func, arg, 0);
}
#endif

// ---- subinterpreters and modules ------------------------------------------

// GK_HAVE_OWN_GIL_SUBINTERPRETERS: subinterpreters with their own GIL
// (PEP 684: PyInterpreterConfig, Py_NewInterpreterFromConfig), 3.12+
// (subinterp.c).
#define GK_HAVE_OWN_GIL_SUBINTERPRETERS (PY_VERSION_HEX >= 0x030C0000)

// GK_MOD_SLOT_NOT_FOR_SUBINTERPRETERS and GK_MOD_SLOT_GIL_NOT_USED are
// module slots (PyModuleDef_Slot entries, with their comma), or nothing
// where CPython has no such slot: Py_mod_multiple_interpreters, 3.12+, with
// which importing the module in a subinterpreter raises ImportError; and
// Py_mod_gil, 3.13+, with which importing it keeps a free-threaded build
// free-threaded (builds with the GIL accept it and ignore it).
#ifdef Py_mod_multiple_interpreters
#define GK_MOD_SLOT_NOT_FOR_SUBINTERPRETERS {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#else
#define GK_MOD_SLOT_NOT_FOR_SUBINTERPRETERS
#endif
#ifdef Py_mod_gil
#define GK_MOD_SLOT_GIL_NOT_USED {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#else
#define GK_MOD_SLOT_GIL_NOT_USED
#endif

// ---- finalization ---------------------------------------------------------

// gk_py_is_finalizing: whether the main interpreter has begun finalizing.
// Py_IsFinalizing is public from 3.13; _Py_IsFinalizing before.
static inline int gk_py_is_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
	return Py_IsFinalizing();
#else
	return _Py_IsFinalizing();
#endif
}

// GK_ATTACH_IN_FINALIZATION_HANGS: a thread that attaches
// (PyEval_RestoreThread, PyGILState_Ensure) while Py_FinalizeEx runs hangs
// forever from 3.14 on; before, CPython ended it with pthread_exit, which
// takes the Go runtime with it when the thread is one of Go's. Either way
// gilkit must not attach then: Interpreter.Close waits for every Do before
// finalizing, and refuses new ones.
#define GK_ATTACH_IN_FINALIZATION_HANGS (PY_VERSION_HEX >= 0x030E0000)

// GK_HAVE_PEP788: finalization guards and interpreter views (PEP 788,
// 3.15): PyInterpreterGuard_FromView fails, without an attached thread
// state, once the interpreter has begun finalizing, and Py_FinalizeEx waits
// until every guard is closed. PyThreadState_Ensure/EnsureFromView attach
// under such a guard (soft-deprecating PyGILState_Ensure). gilkit holds a
// guard around each Do where it does not decide when CPython finalizes
// (Command.Run: Py_RunMain finalizes when the program ends); see guard.c.
#define GK_HAVE_PEP788 (PY_VERSION_HEX >= 0x030F0000)

// ---- the C stack ----------------------------------------------------------

// GK_MEASURES_C_STACK: from 3.14 on CPython bounds C recursion by the real
// stack of each thread (its bounds from pthread_getattr_np) rather than by
// a fixed depth (Py_C_RECURSION_LIMIT, tuned for 8 MiB stacks). The big
// stack gilkit gives CPython's main thread (mainthread.go) then buys depth
// instead of preventing a crash: str() of a dict nested 200,000 deep
// succeeds on a 1 GiB stack, slowly (Py_ReprEnter is linear in the depth),
// where 3.13 raised RecursionError.
#define GK_MEASURES_C_STACK (PY_VERSION_HEX >= 0x030E0000)

// ---- os.fork --------------------------------------------------------------

// GK_FORK_WARNS_THREADS: from 3.12 on os.fork and os.forkpty warn
// (DeprecationWarning) when the process has more than one Python thread;
// gilkit's replacements (fork.c) warn as they would.
#define GK_FORK_WARNS_THREADS (PY_VERSION_HEX >= 0x030C0000)

#endif
