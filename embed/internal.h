// internal.h: what gilkit's C files share with each other and Go never
// calls. gilkit.h is what Go's cgo preambles include; a declaration goes
// here when only .c files use it, so that no .c file re-declares another's
// globals by hand.
#ifndef GILKIT_INTERNAL_H
#define GILKIT_INTERNAL_H

#include <pthread.h>
#include "gilkit_main.h"

// ---- starting CPython (interp.c) ------------------------------------------

// gk_main_interp is the main interpreter, set when CPython has started.
extern PyInterpreterState *gk_main_interp;
// gk_main_pthread is Python's main thread: the one that initialized CPython.
extern pthread_t gk_main_pthread;

// gk_initialize is what every start shares: gilkit's fork handlers and
// module, then Py_InitializeFromConfig from opts (parse_argv: argv is a
// python command line), then opts' paths at the front of sys.path. On
// success the calling thread is attached.
PyStatus gk_initialize(const gk_start_opts *opts, int parse_argv);
// gk_adopt_main_thread makes the calling, attached thread Python's main
// thread (gk_main_pthread, its thread state kept as this thread's) and
// releases the GIL: the last step of a start.
void gk_adopt_main_thread(void);
// Python source that C runs, from embed/py/ (set once by Go's init, never
// freed): module _gilkit_capture (run.c) and the ctypes guard of
// subinterpreters (subinterp.c).
extern const char *gk_capture_src;
extern const char *gk_ctypes_guard_src;
// gk_status_message formats a failed PyStatus; the caller frees it.
char *gk_status_message(const char *what, PyStatus st);

// ---- attaching (attach.c) -------------------------------------------------

// gk_keep_thread_state makes ts the thread state the calling thread keeps
// for the main interpreter.
void gk_keep_thread_state(PyThreadState *ts);

#endif
