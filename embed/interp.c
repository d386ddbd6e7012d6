// interp.c: starting and finalizing CPython.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "gilkit_main.h"

PyInterpreterState *gk_main_interp;
pthread_t gk_main_pthread; // the thread that ran gk_start: CPython's main thread
static PyThreadState *gk_owner_ts; // thread state of the thread that ran gk_start

extern void gk_set_thread_main_ts(PyThreadState *ts);

static char *status_message(const char *what, PyStatus st) {
	const char *msg = st.err_msg ? st.err_msg : "unknown error";
	size_t n = strlen(what) + strlen(msg) + (st.func ? strlen(st.func) : 0) + 8;
	char *out = malloc(n);
	if (st.func)
		snprintf(out, n, "%s: %s: %s", what, st.func, msg);
	else
		snprintf(out, n, "%s: %s", what, msg);
	return out;
}

char *gk_start(gk_start_opts *o) {
	PyStatus st;
	PyConfig c;
	gk_fork_install();
	// The module of Go functions, importable as gilkit (module.c); the
	// inittab must be complete before CPython is initialized.
	if (gk_module_register() < 0) return strdup("registering the gilkit module failed");
	if (o->python_main) gk_reclose_stdio(); // python would find them closed
	PyConfig_InitPythonConfig(&c);
	// Go owns signals: CPython must not install SIGINT handlers or ignore
	// SIGPIPE (for python_main, signals.c gives it python's table instead).
	c.install_signal_handlers = 0;
	c.parse_argv = o->parse_argv;
	c.use_environment = o->use_environment;
#ifdef Py_GIL_DISABLED
	c.enable_gil = o->enable_gil;
#endif
	// The first call that decodes bytes pre-initializes CPython, reading
	// the command line (-X dev, -X utf8, -E, -I) only if it has it: argv
	// first, as python's own main does.
	st = PyConfig_SetBytesArgv(&c, o->argc, o->argv);
	if (PyStatus_Exception(st)) goto fail;
	if (o->executable) {
		// The real interpreter, not the Go binary: multiprocessing's spawn
		// and anything else that starts sys.executable need a Python.
		st = PyConfig_SetBytesString(&c, &c.program_name, o->executable);
		if (PyStatus_Exception(st)) goto fail;
	}
	st = Py_InitializeFromConfig(&c);
	if (!PyStatus_Exception(st)) gk_back_in_go_rc(0); // site, .pth files and sitecustomize run Python code
	if (PyStatus_Exception(st) && o->python_main) {
		// A bad command line, --version, -h: python prints and exits.
		PyConfig_Clear(&c);
		Py_ExitStatusException(st);
	}
	if (PyStatus_Exception(st)) goto fail;
	PyConfig_Clear(&c);

	if (o->npaths > 0) {
		PyObject *path = PySys_GetObject("path"); // borrowed
		for (int i = 0; path && i < o->npaths; i++) {
			PyObject *s = PyUnicode_DecodeFSDefault(o->paths[i]);
			if (!s || PyList_Insert(path, i, s) < 0) {
				Py_XDECREF(s);
				PyErr_Clear();
				break;
			}
			Py_DECREF(s);
		}
	}
	if (o->python_main) {
		// The script imports threading on this thread if it needs it, as
		// in python.
		if (gk_pymain_prepare() < 0 || gk_signals_install(o->notify_fd) < 0) {
			PyErr_Print();
			PyErr_Clear();
		}
	} else {
		// threading records the thread that first imports it as the main
		// thread, and Py_FinalizeEx waits for every other non-daemon thread.
		// Import it here so that the thread which finalizes is the main
		// thread; otherwise finalizing would wait forever for a goroutine's
		// thread.
		PyObject *threading = PyImport_ImportModule("threading");
		if (threading == NULL) {
			PyErr_Print();
			PyErr_Clear();
		}
		Py_XDECREF(threading);
		if (gk_wrap_os_fork(0) < 0) {
			PyErr_Print();
			PyErr_Clear();
		}
		// Output capture's module, before any goroutine can race to create
		// it (not for python_main: python's sys.modules has no such module).
		if (gk_capture_prepare() < 0) {
			PyErr_Print();
			PyErr_Clear();
		}
	}
	gk_owner_ts = PyThreadState_Get();
	gk_main_interp = PyThreadState_GetInterpreter(gk_owner_ts);
	gk_set_thread_main_ts(gk_owner_ts);
	gk_main_pthread = pthread_self();
	// Release the GIL at once, or every other thread would wait forever.
	PyEval_SaveThread();
	return NULL;
fail:
	PyConfig_Clear(&c);
	return status_message("initializing CPython", st);
}

PyThreadState *gk_owner_thread_state(void) { return gk_owner_ts; }

int gk_finalize(void) {
	PyEval_RestoreThread(gk_owner_ts);
	return Py_FinalizeEx(); // (os.fork refuses to run while finalizing)
}

int gk_free_threaded(void) {
#ifdef Py_GIL_DISABLED
	return 1;
#else
	return 0;
#endif
}

const char *gk_libpython(void) {
	Dl_info info;
	if (dladdr((void *)&Py_InitializeFromConfig, &info) && info.dli_fname)
		return info.dli_fname;
	return "";
}
