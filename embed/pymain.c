// pymain.c: python's own main program (Py_RunMain) inside the Go process,
// so that a script runs exactly as `python script.py` runs it: sys.path[0],
// __main__, sys.excepthook, SystemExit, an uncaught KeyboardInterrupt ending
// the process by SIGINT, exit status 120 when flushing fails at exit,
// `python DIR`, `python -c`, `python -m`, and every PYTHON* variable.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"
#include "_cgo_export.h"

static int cancelled;

// after_finalize runs at the very end of Py_FinalizeEx (Py_AtExit), when
// every atexit handler has run and sys.stdout and sys.stderr are flushed.
// A cancelled run must not go on to end the process (SystemExit's exit()
// or the SIGINT of an uncaught KeyboardInterrupt): the main thread tells Go
// and parks, and Go decides how the process ends.
static void after_finalize(void) {
	if (gk_forked_child() || !__atomic_load_n(&cancelled, __ATOMIC_ACQUIRE)) return;
	gkPythonFinalized();
	for (;;) pause();
}

// ---- the fence at the end of the program -----------------------------------
//
// Py_RunMain finalizes CPython when the program ends. Go code may still
// work with the interpreter then: a goroutine inside Do, a daemon thread
// inside a Go function that released the GIL. A thread that attaches once
// finalization has begun is ended by CPython (pthread_exit, under Go's
// frames, before 3.14) or hung, so before finalizing, the fence stops new
// Go work and waits for the running work to end. It runs as the last atexit
// handler (registered first, they run in reverse), after the program's own
// handlers, which may still call Go, and after the non-daemon threads were
// joined.
static PyObject *fence(PyObject *self, PyObject *unused) {
	(void)self;
	(void)unused;
	int left;
	Py_BEGIN_ALLOW_THREADS
	left = gkPythonFence(0); // stop new work; wait for the running work
	Py_END_ALLOW_THREADS
	if (left > 0) {
		// Goroutines still run Python code: interrupt it, then wait again.
		gk_interrupt_all_busy();
		Py_BEGIN_ALLOW_THREADS
		left = gkPythonFence(1);
		Py_END_ALLOW_THREADS
	}
	// What is still running (a Go function that does not return, Python
	// code that ignores KeyboardInterrupt) never attaches again: it parks.
	gk_fence_close();
	Py_RETURN_NONE;
}

static PyMethodDef fence_def = {"_gilkit_fence", fence, METH_NOARGS, "Waits for Go's work with the interpreter before CPython finalizes."};

// register_fence leaves sys.modules as python has it at startup: python
// does not import atexit before the program does (the hostile corpus's
// startup_modules compares them). The registration outlives the module
// object: atexit's callbacks live in the interpreter state.
static int register_fence(void) {
	PyObject *modules = PyImport_GetModuleDict(); // borrowed
	int had = PyDict_GetItemString(modules, "atexit") != NULL;
	PyObject *atexit = PyImport_ImportModule("atexit");
	PyObject *fn = atexit ? PyCFunction_New(&fence_def, NULL) : NULL;
	PyObject *r = fn ? PyObject_CallMethod(atexit, "register", "O", fn) : NULL;
	Py_XDECREF(r);
	Py_XDECREF(fn);
	Py_XDECREF(atexit);
	if (r != NULL && !had && PyDict_DelItemString(modules, "atexit") < 0) return -1;
	return r == NULL ? -1 : 0;
}

// prepare gives the initialized runtime what Py_RunMain's program expects
// of python: the fence and the end of a cancelled run, python's fork
// warnings, python's signal handlers.
static int prepare(int notify_fd) {
	if (Py_AtExit(after_finalize) < 0 || register_fence() < 0) return -1;
	if (gk_wrap_os_fork(1) < 0) return -1;
	return gk_signals_install(notify_fd);
}

char *gk_pymain_start(gk_start_opts *o, int notify_fd) {
	gk_reclose_stdio(); // python would find them closed
	PyStatus st = gk_initialize(o, 1);
	// A bad command line, --version, -h: python prints and exits.
	if (PyStatus_Exception(st)) Py_ExitStatusException(st);
	// The script imports threading on this thread if it needs it, as in
	// python.
	if (prepare(notify_fd) < 0) {
		PyErr_Print();
		PyErr_Clear();
	}
	gk_adopt_main_thread();
	return NULL;
}

void gk_pymain_cancel(void) { __atomic_store_n(&cancelled, 1, __ATOMIC_RELEASE); }

int gk_pymain_run(PyThreadState *main_ts) {
	PyEval_RestoreThread(main_ts);
	gk_rec_busy(); // it runs Python code: Interpreter.Interrupt reaches it
	int status = Py_RunMain();
	// A child forked by the script finishes here too: end it as python's
	// main() would, without returning into the Go runtime.
	if (gk_forked_child()) exit(status);
	return status;
}

int gk_finalizing(void) { return gk_py_is_finalizing(); }

void gk_flush_std_streams_attached(void) {
	const char *names[] = {"stdout", "stderr"};
	for (int i = 0; i < 2; i++) {
		PyObject *f = PySys_GetObject(names[i]); // borrowed
		PyObject *r = (f != NULL && f != Py_None) ? PyObject_CallMethod(f, "flush", NULL) : NULL;
		Py_XDECREF(r);
		PyErr_Clear();
	}
}

void gk_flush_std_streams(void) {
	// A thread that attaches once finalization has begun is ended by
	// CPython (pthread_exit), which a Go thread must never see.
	if (!Py_IsInitialized() || gk_fence_closed() || gk_finalizing()) return;
	PyGILState_STATE g = PyGILState_Ensure();
	gk_flush_std_streams_attached();
	PyGILState_Release(g);
}
