// interp.c: starting and finalizing CPython.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

PyInterpreterState *gk_main_interp;
pthread_t gk_main_pthread;                // Python's main thread: the one that initialized CPython
static PyThreadState *gk_main_thread_ts;  // its thread state

const char *gk_capture_src;
const char *gk_ctypes_guard_src;

void gk_set_python_sources(const char *capture, const char *ctypes_guard) {
	gk_capture_src = capture;
	gk_ctypes_guard_src = ctypes_guard;
}

char *gk_status_message(const char *what, PyStatus st) {
	const char *msg = st.err_msg ? st.err_msg : "unknown error";
	size_t n = strlen(what) + strlen(msg) + (st.func ? strlen(st.func) : 0) + 8;
	char *out = malloc(n);
	if (st.func)
		snprintf(out, n, "%s: %s: %s", what, st.func, msg);
	else
		snprintf(out, n, "%s: %s", what, msg);
	return out;
}

PyStatus gk_initialize(const gk_start_opts *o, int parse_argv) {
	PyStatus st;
	PyConfig c;
	gk_fork_install();
	// The module of Go functions, importable as gilkit (module.c); the
	// inittab must be complete before CPython is initialized.
	if (gk_module_register() < 0) return PyStatus_Error("registering the gilkit module failed");
	PyConfig_InitPythonConfig(&c);
	// Go owns signals: CPython must not install SIGINT handlers or ignore
	// SIGPIPE (pymain.c gives Py_RunMain python's table instead).
	c.install_signal_handlers = 0;
	c.parse_argv = parse_argv;
	c.use_environment = o->use_environment;
	gk_config_set_enable_gil(&c, o->enable_gil);
	// The first call that decodes bytes pre-initializes CPython, reading
	// the command line (-X dev, -X utf8, -E, -I) only if it has it: argv
	// first, as python's own main does.
	st = PyConfig_SetBytesArgv(&c, o->argc, o->argv);
	if (PyStatus_Exception(st)) goto out;
	if (o->executable) {
		// The real interpreter, not the Go binary: multiprocessing's spawn
		// and anything else that starts sys.executable need a Python.
		st = PyConfig_SetBytesString(&c, &c.program_name, o->executable);
		if (PyStatus_Exception(st)) goto out;
	}
	st = Py_InitializeFromConfig(&c);
	if (PyStatus_Exception(st)) goto out;
	gk_back_in_go_rc(0); // site, .pth files and sitecustomize ran Python code
	PyObject *path = o->npaths > 0 ? PySys_GetObject("path") : NULL; // borrowed
	for (int i = 0; path && i < o->npaths; i++) {
		PyObject *s = PyUnicode_DecodeFSDefault(o->paths[i]);
		if (!s || PyList_Insert(path, i, s) < 0) {
			Py_XDECREF(s);
			PyErr_Clear();
			break;
		}
		Py_DECREF(s);
	}
out:
	PyConfig_Clear(&c);
	return st;
}

void gk_adopt_main_thread(void) {
	gk_main_thread_ts = PyThreadState_Get();
	gk_main_interp = PyThreadState_GetInterpreter(gk_main_thread_ts);
	gk_keep_thread_state(gk_main_thread_ts);
	gk_main_pthread = pthread_self();
	// Release the GIL at once, or every other thread would wait forever.
	PyEval_SaveThread();
}

// report_startup_error prints and clears what a step after initialization
// left: a program can still run without it, and says why it misses it.
static void report_startup_error(int rc) {
	if (rc < 0) {
		PyErr_Print();
		PyErr_Clear();
	}
}

char *gk_start(gk_start_opts *o) {
	PyStatus st = gk_initialize(o, 0);
	if (PyStatus_Exception(st)) return gk_status_message("initializing CPython", st);
	// threading records the thread that first imports it as the main
	// thread, and Py_FinalizeEx waits for every other non-daemon thread.
	// Import it here so that the thread which finalizes is the main
	// thread; otherwise finalizing would wait forever for a goroutine's
	// thread.
	PyObject *threading = PyImport_ImportModule("threading");
	report_startup_error(threading == NULL ? -1 : 0);
	Py_XDECREF(threading);
	report_startup_error(gk_wrap_os_fork(0));
	// Output capture's module, before any goroutine can race to create it.
	report_startup_error(gk_capture_prepare());
	gk_adopt_main_thread();
	return NULL;
}

PyThreadState *gk_main_thread_state(void) { return gk_main_thread_ts; }

int gk_finalize(void) {
	PyEval_RestoreThread(gk_main_thread_ts);
	return Py_FinalizeEx(); // (os.fork refuses to run while finalizing)
}

int gk_free_threaded(void) { return GK_FREE_THREADED; }

const char *gk_libpython(void) {
	Dl_info info;
	if (dladdr((void *)&Py_InitializeFromConfig, &info) && info.dli_fname)
		return info.dli_fname;
	return "";
}
