// gilkit_main.h: the C side of running Python as the python command does:
// CPython's main thread, python's own main program, signals and fork.
#ifndef GILKIT_MAIN_H
#define GILKIT_MAIN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "gilkit.h"

// ---- CPython's main thread (mainthread.c) ---------------------------------

// gk_mark_main_thread records the calling thread as CPython's main thread.
void gk_mark_main_thread(void);
int gk_main_thread_known(void);
pthread_t gk_main_thread(void);
int gk_main_thread_tid(void);
int gk_on_main_thread(void);
int gk_is_process_main_thread(void);
// gk_spawn_main_thread starts a detached thread with the given C stack size
// that calls the Go function gkRunMainThread(handle). Returns 0 or an errno.
int gk_spawn_main_thread(uintptr_t handle, size_t stack_size);

// ---- signals as python sees them (signals.c) ------------------------------

// What CPython's handler table says about a signal.
enum { GK_DISP_DEFAULT = 0, GK_DISP_IGNORE = 1, GK_DISP_PYTHON = 2 };

int gk_start_pid(void);
// gk_reclose_stdio closes the standard descriptors that were closed when the
// process started (the Go runtime opens /dev/null on them).
void gk_reclose_stdio(void);
int gk_inherited_ignored(int sig);
// gk_signals_install gives CPython python's handler table and makes the
// kernel follow it (see signals.c). Needs the GIL on the main thread.
// nfd receives one byte per signal that a Python handler took.
int gk_signals_install(int nfd);
int gk_signals_active(void);
void gk_signals_uninstall(void);
// A byte on the notify pipe is a signal number, with GK_NOTIFY_DEFAULT set
// when the signal is at its default action (Go is to carry it out) and clear
// when a Python handler took it.
enum { GK_NOTIFY_DEFAULT = 0x80 };
int gk_disposition(int sig);
void gk_child_signals(void);
void gk_die_by_signal(int sig);

// ---- fork (fork.c) ---------------------------------------------------------

// gk_fork_install registers the fork handlers (once per process).
void gk_fork_install(void);
// gk_forked_child reports whether this process is a child forked from the
// Go process by Python code.
int gk_forked_child(void);
// gk_exit_child ends a forked child whose Python code returned into gilkit
// with result (NULL: an exception is set): SystemExit's status, or 1 after
// the traceback, or 0. It never returns into the Go runtime, which does not
// run in the child.
void gk_exit_child(PyObject *result);
// gk_wrap_os_fork replaces os.fork and os.forkpty with ones that refuse to
// fork while subinterpreters exist and, python_compatible, warn about
// threads as python would (counting Python's threads, not the Go
// runtime's).
int gk_wrap_os_fork(int python_compatible);

// ---- python's main program (pymain.c) -------------------------------------

// gk_pymain_start is gk_start for Py_RunMain's program: argv is a python
// command line, python's signal handlers are installed (a byte per signal a
// Python handler took goes to notify_fd, see gk_signals_install), fork
// warns as in python, and the fence runs before finalization. A bad command
// line ends the process as python would.
char *gk_pymain_start(gk_start_opts *opts, int notify_fd);
// gk_pymain_run runs Py_RunMain on the main thread, which holds no thread
// state; CPython is finalized when it returns.
int gk_pymain_run(PyThreadState *main_ts);
// gk_pymain_cancel marks the run cancelled: when CPython has finalized, the
// main thread tells Go (gkPythonFinalized) and waits forever instead of
// ending the process.
void gk_pymain_cancel(void);
// gk_flush_std_streams flushes sys.stdout and sys.stderr from any thread,
// unless CPython is finalizing (attaching then could end the thread);
// gk_flush_std_streams_attached does it on an attached thread.
void gk_flush_std_streams(void);
void gk_flush_std_streams_attached(void);
int gk_finalizing(void);

#endif
