// fork.c: Python code that forks the Go process.
//
// A forked child has one thread, a copy of the one that forked, and the Go
// runtime's memory but none of its threads: Go code cannot run there
// (no scheduler, no garbage collector, locks held by threads that no longer
// exist). So a child must only ever run C and Python: gilkit's entry points
// end it when its Python code returns into them (gk_exit_child; the main
// program of Command ends in pymain.c as python's does), and its signal
// dispositions become python's instead of Go's handlers, which would queue
// signals for a runtime that is not there (SIGTERM would be ignored).
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "gilkit_main.h"

static volatile sig_atomic_t forked_child;

static void after_fork_in_child(void) {
	forked_child = 1;
	gk_child_signals();
}

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void install_once(void) { pthread_atfork(NULL, NULL, after_fork_in_child); }

void gk_fork_install(void) { pthread_once(&fork_once, install_once); }

int gk_forked_child(void) { return forked_child; }

PyObject *gk_back_in_go(PyObject *result) {
	if (forked_child) gk_exit_child(result);
	return result;
}

int gk_back_in_go_rc(int rc) {
	if (forked_child) gk_exit_child(rc < 0 ? NULL : Py_None);
	return rc;
}

// system_exit_status takes the pending SystemExit and returns its status
// as python does (Python/pythonrun.c, _Py_HandleSystemExit): None is 0, an
// int is the status, anything else is printed to sys.stderr and gives 1.
static int system_exit_status(void) {
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	int status = 0;
	PyObject *code = value ? PyObject_GetAttrString(value, "code") : NULL;
	PyErr_Clear();
	if (code == NULL || code == Py_None) {
		status = 0;
	} else if (PyLong_Check(code)) {
		status = (int)PyLong_AsLong(code);
		PyErr_Clear();
	} else {
		PyObject *err = PySys_GetObject("stderr"); // borrowed
		if (err != NULL && err != Py_None && PyFile_WriteObject(code, err, Py_PRINT_RAW) == 0) {
			PyFile_WriteString("\n", err);
		}
		PyErr_Clear();
		status = 1;
	}
	Py_XDECREF(code);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return status;
}

void gk_exit_child(PyObject *result) {
	// The child's code ran on a thread that Go attached; CPython cannot be
	// finalized from there (3.13 switches to the parent's main thread
	// state, which the child does not have). So it ends as a forked Python
	// thread would, without finalizing, but with the status and output of
	// the exception it raised.
	int status = 0;
	if (result == NULL) {
		if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
			status = system_exit_status();
		} else {
			PyErr_Print(); // through sys.excepthook
			status = 1;
		}
	}
	gk_flush_std_streams_attached();
	exit(status);
}

// ---- os.fork without the Go runtime's threads in the warning ---------------

static PyObject *orig_fork;

// python_threads counts what /proc/self/stat shows in the python command:
// the main thread plus every thread Python started and that still runs.
static Py_ssize_t python_threads(void) {
	PyObject *thread = PyImport_ImportModule("_thread");
	PyObject *n = thread ? PyObject_CallMethod(thread, "_count", NULL) : NULL;
	Py_ssize_t count = n ? PyLong_AsSsize_t(n) + 1 : 1;
	Py_XDECREF(n);
	Py_XDECREF(thread);
	PyErr_Clear();
	return count;
}

// like_python is set for Command.Run: os.fork warns as python's does.
static int like_python;

// do_fork is os.fork and os.forkpty. While subinterpreters exist it
// refuses: CPython's child then dies in PyOS_AfterFork_Child (3.13 aborts
// it, 3.12 hangs it), even when they are idle, and a parent waiting for the
// child would hang. For Command.Run it is os.fork as CPython implements it
// (Modules/posixmodule.c), except that the "multi-threaded"
// DeprecationWarning counts Python's threads: the Go runtime's threads never
// run in the child.
static PyObject *do_fork(PyObject *orig, const char *name, int with_pty) {
	if (gk_subinterpreters() > 0) {
		return PyErr_Format(PyExc_RuntimeError,
		                    "gilkit: os.%s() while subinterpreters exist: CPython's child would die (it cannot "
		                    "recover the subinterpreters' state after fork); close them first, or start processes "
		                    "with subprocess or multiprocessing's \"spawn\"",
		                    name);
	}
	if (!like_python || gk_finalizing()) return PyObject_CallNoArgs(orig); // CPython raises the right error when finalizing
	char audit[16];
	snprintf(audit, sizeof audit, "os.%s", name);
	if (PySys_Audit(audit, NULL) < 0) return NULL;
	int master_fd = -1;
	PyOS_BeforeFork();
	pid_t pid = with_pty ? forkpty(&master_fd, NULL, NULL, NULL) : fork();
	int saved_errno = errno;
	if (pid == 0) {
		PyOS_AfterFork_Child();
	} else {
		Py_ssize_t threads = python_threads();
		PyOS_AfterFork_Parent();
		if (GK_FORK_WARNS_THREADS && threads > 1) {
			PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
			                 "This process (pid=%d) is multi-threaded, use of %s() may lead to deadlocks in the child.",
			                 getpid(), name);
			PyErr_Clear();
		}
	}
	if (pid == -1) {
		errno = saved_errno;
		return PyErr_SetFromErrno(PyExc_OSError);
	}
	if (with_pty) return Py_BuildValue("(Ni)", PyLong_FromPid(pid), master_fd);
	return PyLong_FromPid(pid);
}

static PyObject *orig_forkpty;

static PyObject *fork_wrapper(PyObject *self, PyObject *noargs) {
	(void)self;
	(void)noargs;
	return do_fork(orig_fork, "fork", 0);
}

static PyObject *forkpty_wrapper(PyObject *self, PyObject *noargs) {
	(void)self;
	(void)noargs;
	return do_fork(orig_forkpty, "forkpty", 1);
}

static PyMethodDef fork_wrapper_def = {
	"fork", fork_wrapper, METH_NOARGS,
	"fork($module, /)\n--\n\nFork a child process.\n\nReturn 0 to child process and PID of child to parent process."};

static PyMethodDef forkpty_wrapper_def = {
	"forkpty", forkpty_wrapper, METH_NOARGS,
	"forkpty($module, /)\n--\n\nFork a new process with a new pseudo-terminal as controlling tty.\n\n"
	"Returns a tuple of (pid, master_fd)."};

// wrap replaces posix.NAME, and os.NAME when os is imported already.
static int wrap(PyObject *posix, PyObject *os, PyMethodDef *def, PyObject **orig) {
	*orig = PyObject_GetAttrString(posix, def->ml_name);
	if (*orig == NULL) {
		PyErr_Clear();
		return 0; // not on this platform
	}
	PyObject *name = PyUnicode_FromString("posix");
	PyObject *wrapper = name ? PyCFunction_NewEx(def, NULL, name) : NULL;
	Py_XDECREF(name);
	int rc = (wrapper == NULL || PyObject_SetAttrString(posix, def->ml_name, wrapper) < 0 ||
	          (os != NULL && PyObject_SetAttrString(os, def->ml_name, wrapper) < 0))
	             ? -1
	             : 0;
	Py_XDECREF(wrapper);
	return rc;
}

// gk_wrap_os_fork replaces fork and forkpty in posix, from which os takes
// them when it is imported, and in os if it is imported already (it is not
// imported here: python -S and -I start without it).
int gk_wrap_os_fork(int python_compatible) {
	like_python = python_compatible;
	PyObject *posix = PyImport_ImportModule("posix");
	if (posix == NULL) return -1;
	PyObject *os_name = PyUnicode_FromString("os");
	PyObject *os = os_name ? PyImport_GetModule(os_name) : NULL; // new reference, or NULL when not imported
	Py_XDECREF(os_name);
	PyErr_Clear();
	int rc = wrap(posix, os, &fork_wrapper_def, &orig_fork) < 0 || wrap(posix, os, &forkpty_wrapper_def, &orig_forkpty) < 0 ? -1 : 0;
	Py_XDECREF(os);
	Py_DECREF(posix);
	return rc;
}
