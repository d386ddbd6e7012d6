// pymain.c: python's own main program (Py_RunMain) inside the Go process,
// so that a script runs exactly as `python script.py` runs it: sys.path[0],
// __main__, sys.excepthook, SystemExit, an uncaught KeyboardInterrupt ending
// the process by SIGINT, exit status 120 when flushing fails at exit,
// `python DIR`, `python -c`, `python -m`, and every PYTHON* variable.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "gilkit_main.h"
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

int gk_pymain_prepare(void) {
	if (Py_AtExit(after_finalize) < 0) return -1;
	gk_fork_install();
	return gk_wrap_os_fork();
}

void gk_pymain_cancel(void) { __atomic_store_n(&cancelled, 1, __ATOMIC_RELEASE); }

int gk_pymain_run(PyThreadState *main_ts) {
	PyEval_RestoreThread(main_ts);
	int status = Py_RunMain();
	// A child forked by the script finishes here too: end it as python's
	// main() would, without returning into the Go runtime.
	if (gk_forked_child()) exit(status);
	return status;
}

int gk_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
	return Py_IsFinalizing();
#else
	return _Py_IsFinalizing();
#endif
}

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
	if (!Py_IsInitialized() || gk_finalizing()) return;
	PyGILState_STATE g = PyGILState_Ensure();
	gk_flush_std_streams_attached();
	PyGILState_Release(g);
}
