// gilkit.h: the C side of package embed. Small helpers over the CPython C API;
// every Go -> C crossing goes through one of these so that each does as much
// work as possible per cgo call. Which GIL/attachment state each function
// needs is stated beside it.
#ifndef GILKIT_H
#define GILKIT_H

#include "compat.h" // Python.h, and the differences between versions
#include <stdint.h>

// GK_TLS declares gilkit's thread-locals. cgo compiles C as position
// independent code, where every access to a plain __thread variable calls
// __tls_get_addr; the C code always ends up in the executable (or a library
// loaded with it), so the initial-exec model, a single load, is valid.
#define GK_TLS __thread __attribute__((tls_model("initial-exec")))

// ---- lifecycle (interp.c) -------------------------------------------------

// gk_start_opts carries Config from Go. Strings are UTF-8.
typedef struct {
	const char *executable; // sys.executable, or NULL to let CPython compute it
	char **argv;
	int argc;
	char **paths; // put at the front of sys.path
	int npaths;
	int use_environment;
	int enable_gil; // -1: CPython's default, 0: off, 1: on (free-threaded builds only)
} gk_start_opts;

// gk_start initializes CPython on the calling thread, which becomes Python's
// main thread, for a Go program (Start), and releases the GIL. Returns NULL
// on success or a malloc'd error message. (gk_pymain_start, in
// gilkit_main.h, is the start for Command.Run.)
char *gk_start(gk_start_opts *opts);
// gk_set_python_sources gives C the Python it runs (embed/py/, see
// internal.h); the strings must live for the process.
void gk_set_python_sources(const char *capture, const char *ctypes_guard);
// gk_finalize attaches Python's main thread, its caller, and finalizes.
int gk_finalize(void);
// gk_main_thread_state is the thread state of Python's main thread.
PyThreadState *gk_main_thread_state(void);
int gk_free_threaded(void);
// gk_libpython returns the path of the loaded libpython (dladdr), or "".
const char *gk_libpython(void);

// ---- attaching (attach.c) -------------------------------------------------

// Result codes of gk_enter.
enum { GK_OK = 0, GK_OTHER_INTERP = 1 };

// gk_enter attaches the calling thread to ts's interpreter using the thread
// state this OS thread keeps for it (created on first use), or only counts
// the nesting when it is already attached. main selects the main
// interpreter (ts ignored).
int gk_enter_main(void);
int gk_enter_sub(PyThreadState *ts);
// gk_enter_call0 is gk_enter (main when sub is NULL) followed by a call
// without arguments: the first call of a Do costs one cgo crossing, not two.
// The result comes back by value: a pointer to a Go variable would cost an
// allocation and a cgo pointer check on this hot path. The arguments of the
// functions on that path are passed as uintptr_t for the same reason: cgo
// checks every pointer argument for Go pointers, which costs more than
// anything else Go does per call.
typedef struct {
	PyObject *result;
	int rc;
} gk_call_result;
gk_call_result gk_enter_call0(uintptr_t fn, uintptr_t sub);
// gk_oneshot_call0 attaches to the main interpreter, calls fn without
// arguments and detaches, all in one cgo crossing. A failure's exception is
// taken while attached, into err (malloc'd; free with gk_error_free + free).
// A result that is None, True or False is returned unowned.
typedef struct gk_error gk_error;
typedef struct {
	PyObject *result;
	gk_error *err;
	int rc;
} gk_oneshot;
gk_oneshot gk_oneshot_call0(uintptr_t fn);
// gk_leave undoes one gk_enter: on the outermost level it detaches, after
// dropping an interrupt that arrived too late for the code it was meant for
// (see gk_drop_async_exc). It returns the exception of a signal handler that
// CPython ran meanwhile (malloc'd; free with gk_error_free + free), or NULL.
gk_error *gk_leave(void);
// gk_detach_begin/end release and retake the GIL around Go work
// (Py.Detach); the nesting is saved so attaching again inside works.
typedef struct {
	PyThreadState *ts;
	int depth;
	int foreign;
} gk_saved;
gk_saved gk_detach_begin(void);
void gk_detach_end(gk_saved s);
// gk_attached reports whether this thread is attached through gilkit.
int gk_attached(void);
// gk_fence_close makes every later attach through gilkit park its thread
// for ever instead (CPython is about to finalize; see pymain.c). A thread
// that would detach-and-reattach around Go work parks at the reattach.
void gk_fence_close(void);
int gk_fence_closed(void);
// gk_thread_ident identifies the calling thread (threading.get_ident()).
unsigned long gk_thread_ident(void);
// gk_interrupt_thread makes Python code running on thread ident raise
// KeyboardInterrupt at its next bytecode boundary; returns how many threads
// were found (0 or 1). Needs an attached thread.
// Only a thread that runs Python code is interrupted: a thread whose thread
// state gilkit keeps and that is not inside a Do now is left alone (its
// next, unrelated Do would raise it otherwise).
int gk_interrupt_thread(unsigned long ident);
// gk_ensure_thread_state gives the calling thread its kept thread state for
// the main interpreter without attaching it.
void gk_ensure_thread_state(void);
// gk_detach_any releases whatever thread state this thread has attached
// (through gilkit or not), to wait for another goroutine without holding the
// GIL; s.ts is NULL when nothing was attached. gk_reattach undoes it.
gk_saved gk_detach_any(void);
void gk_reattach(gk_saved s);
// gk_count_thread_states counts the attached interpreter's thread states.
int gk_count_thread_states(void);
// gk_decref_many drops references queued by Object.Close and finalizers.
void gk_decref_many(uintptr_t *objs, int n);

// ---- finalization guards (guard.c, PEP 788: 3.15+) ------------------------

// gk_have_pep788 is 1 where the guards exist (GK_HAVE_PEP788).
int gk_have_pep788(void);
// gk_guard_main takes a finalization guard of the main interpreter, with or
// without an attached thread state; NULL once it has begun finalizing (or
// before 3.15). gk_guard_close closes one (NULL is ignored).
void *gk_guard_main(void);
void gk_guard_close(void *guard);

// ---- interrupting (interrupt.c) -------------------------------------------

// A window: the part of one Do closure whose Python code may be interrupted.
typedef struct gk_window gk_window;
// What a request to interrupt needs next.
enum {
	GK_INTERRUPT_NOT_NEEDED = 0,       // the window is closed, or already interrupted
	GK_INTERRUPT_QUEUED = 1,           // a pending call will deliver it
	GK_INTERRUPT_QUEUE_FULL = 2,       // CPython's pending-call queue is full: retry
	GK_INTERRUPT_DELIVER_ATTACHED = 3, // before 3.12: attach and call gk_window_deliver_attached
	GK_INTERRUPT_IDLE = 4,             // the thread is not inside a Do: nothing to interrupt
};
// gk_any_thread_pending_calls is 1 where any thread of an interpreter runs its
// pending calls (3.12+), which is what delivering without the GIL needs.
int gk_any_thread_pending_calls(void);
// gk_window_open opens a window on the calling thread for the main
// interpreter (sub NULL) or the subinterpreter of sub. No GIL needed.
gk_window *gk_window_open(PyThreadState *sub);
// gk_window_request asks for KeyboardInterrupt in the window's code, from any
// thread, attached or not; it never waits for the GIL.
int gk_window_request(gk_window *w);
// gk_window_deliver_attached delivers a GK_INTERRUPT_DELIVER_ATTACHED request;
// the caller is attached to the window's interpreter.
void gk_window_deliver_attached(gk_window *w);
// gk_window_delivered reports whether the interrupt reached the thread.
int gk_window_delivered(gk_window *w);
// gk_window_close closes the window on its own thread and drops an
// interrupt that was delivered but not raised; it may attach to do so. It
// returns what gk_leave returns.
gk_error *gk_window_close(gk_window *w, PyThreadState *sub);
// gk_drop_async_exc drops the asynchronous exception pending on the calling
// thread (an interrupt that arrived after the code it was meant for had
// finished) by letting CPython raise it in a trivial piece of code, which
// also resets CPython's bookkeeping of it. An exception that a signal
// handler or pending call raises meanwhile is returned, not dropped (a new
// reference, or NULL). The exception set before, if any, stays set. The
// caller is attached.
PyObject *gk_drop_async_exc(void);
// gk_async_exc_pending reports whether ts has an asynchronous exception.
int gk_async_exc_pending(PyThreadState *ts);
// ---- which threads run Python code (interrupt.c) ----------------------------

// Every thread whose thread state for the main interpreter gilkit keeps has
// a record that says whether it is inside a Do now, counting its Do calls:
// gk_rec_busy when gilkit attaches it (nested, when a Go function's own Do
// attaches again under the Do whose Python code called it), gk_rec_idle
// when it detaches, returning how many attachments are left (0: idle). One
// store each, an atomic read-modify-write on free-threaded builds.
void gk_rec_add(void);
void gk_rec_busy(void);
int gk_rec_idle(void);
// gk_interrupt_if_running sets KeyboardInterrupt as the asynchronous
// exception of thread ident of the caller's interpreter, unless ident is a
// thread with a record that is idle, or busy with another Do than number gen
// (0: any). It returns how many thread states got it.
int gk_interrupt_if_running(unsigned long ident, unsigned long gen);
// gk_helper_begin and gk_helper_end bracket gilkit's own Python code
// (formatting an error, capturing output) on the calling thread: an
// interrupt aimed at the thread meanwhile waits until the end, and is then
// set as the thread's asynchronous exception, for the user's code. So is a
// KeyboardInterrupt that the helper ran into (interrupted).
void gk_helper_begin(void);
void gk_helper_end(int interrupted);
// gk_interrupt_all_busy interrupts the Python code of every thread with a
// record that is inside a Do; the caller is attached to the main interpreter.
void gk_interrupt_all_busy(void);
// gk_interrupt_ident asks for KeyboardInterrupt in whatever Python code the
// main interpreter's thread ident runs; no GIL needed (3.12+). A goroutine's
// thread that is not inside a Do is left alone (GK_INTERRUPT_IDLE), and the
// request is for the Do running now only.
int gk_interrupt_ident(unsigned long ident);
// gk_signal_main simulates the arrival of signal signum for the main
// thread (PyErr_SetInterruptEx) and wakes that thread; no GIL needed.
int gk_signal_main(int signum);

// ---- subinterpreters (subinterp.c) ----------------------------------------

// gk_sub_new creates a subinterpreter with its own GIL from a thread that is
// attached to the main interpreter; on return the thread is attached to
// main again. Returns the new interpreter's thread state, or NULL with
// *err set (malloc'd).
PyThreadState *gk_sub_new(char **err);
// gk_sub_end destroys the subinterpreter; the thread must not be attached.
void gk_sub_end(PyThreadState *ts);
// gk_subinterpreters counts the subinterpreters that exist.
int gk_subinterpreters(void);

// ---- forked children (fork.c) ---------------------------------------------

// Python code that forks the Go process leaves a child with one thread and
// no Go runtime: it must never return into Go. Every helper that runs Python
// code passes its result through gk_back_in_go, which returns it unless this
// is such a child; the child then ends where its code returned into gilkit,
// as a forked python thread would (gk_exit_child: SystemExit's status, 1
// after printing a pending exception, otherwise 0). gk_back_in_go_rc does
// the same for a helper that returns 0 or -1 (-1: an exception is set).
PyObject *gk_back_in_go(PyObject *result);
int gk_back_in_go_rc(int rc);

// ---- running code and values (run.c) --------------------------------------

// All of these need an attached thread. On failure they return NULL / -1
// with a Python exception set, to be taken by gk_fetch_error.
PyObject *gk_new_namespace(const char *name);
PyObject *gk_main_dict(void);
// gk_run compiles n bytes of src (which may hold NUL bytes: Python rejects
// those, as python does) and runs them in globals.
PyObject *gk_run(const char *src, Py_ssize_t n, const char *filename, PyObject *globals, int eval);
PyObject *gk_run_file(const char *path, PyObject *globals);
PyObject *gk_call(PyObject *callable, PyObject *args, PyObject *kwargs);
PyObject *gk_call0(uintptr_t callable);
// Import, getattr and str(), which can all run Python code.
PyObject *gk_import(const char *name);
PyObject *gk_getattr(PyObject *o, const char *name);
PyObject *gk_str(PyObject *o);
PyObject *gk_str_n(const char *s, Py_ssize_t n);
PyObject *gk_bytes_n(const char *s, Py_ssize_t n);
PyObject *gk_long_from_string(const char *s);
char *gk_long_to_string(PyObject *o); // malloc'd hex digits with sign, or NULL
// gk_capture_prepare creates the capture module of the current interpreter;
// called once, while the interpreter is new and no other thread uses it.
int gk_capture_prepare(void);
// gk_capture_begin starts capturing sys.stdout (out) and/or sys.stderr (err)
// written by this thread.
int gk_capture_begin(int out, int err);
// gk_capture_end stops it; *out and *err receive the captured UTF-8 text
// (malloc'd), lengths in *nout and *nerr.
int gk_capture_end(int want_out, int want_err, char **out, Py_ssize_t *nout, char **err, Py_ssize_t *nerr);

// Kinds of Python objects as seen by Go conversion.
enum {
	GK_OTHER = 0,
	GK_NONE,
	GK_BOOL,
	GK_INT,
	GK_FLOAT,
	GK_STR,
	GK_BYTES,
	GK_LIST,
	GK_TUPLE,
	GK_DICT,
};
int gk_kind(PyObject *o);
// gk_str_utf8 returns a pointer into o's UTF-8 buffer (valid while o lives).
const char *gk_str_utf8(PyObject *o, Py_ssize_t *n);
// gk_str_surrogateescape clears the error of a failed gk_str_utf8 and encodes
// o with surrogateescape: a str that came from bytes that were not UTF-8
// gets those bytes back. Returns new bytes, or NULL with an exception.
PyObject *gk_str_surrogateescape(PyObject *o);
// gk_long_ll converts an int; *overflow is set when it does not fit in 64 bits.
long long gk_long_ll(PyObject *o, int *overflow);
PyObject *gk_dict_items(PyObject *o); // new list of (key, value) tuples
// The static singletons; taking their address needs no attachment.
PyObject *gk_none_ptr(void);
PyObject *gk_true_ptr(void);
PyObject *gk_false_ptr(void);
PyObject *gk_seq_item(PyObject *o, Py_ssize_t i); // new reference; o is a list or tuple
Py_ssize_t gk_seq_len(PyObject *o);
PyObject *gk_new_list(Py_ssize_t n);
PyObject *gk_new_tuple(Py_ssize_t n);
void gk_list_set(PyObject *l, Py_ssize_t i, PyObject *v);  // steals v
void gk_tuple_set(PyObject *t, Py_ssize_t i, PyObject *v); // steals v
int gk_dict_set(PyObject *d, PyObject *k, PyObject *v);
char *gk_bytes_data(PyObject *o, Py_ssize_t *n); // borrowed buffer
const char *gk_type_name(PyObject *o);
void gk_incref(PyObject *o);
void gk_decref(PyObject *o);

// ---- errors (errors.c) ----------------------------------------------------

// gk_error holds a Python exception taken from the thread (all malloc'd).
struct gk_error {
	char *type;       // qualified type name, e.g. "ValueError", "json.JSONDecodeError"
	char *message;    // str(exc)
	char *traceback;  // traceback.format_exception(exc), joined
	char *filename;   // SyntaxError: filename
	int lineno;       // SyntaxError: line
	int exit_code;    // SystemExit: the code as an int
	int is_system_exit;
	// exc is the exception itself (a new reference) when it was raised in
	// the main interpreter, so that it can be raised again intact; NULL
	// otherwise. gk_error_free leaves it alone: the Go side owns it.
	PyObject *exc;
};

// gk_fetch_error takes the pending exception (clears it). Returns 0 when
// there was none.
// A KeyboardInterrupt that hits the formatting itself (an interrupt or
// SIGINT's handler while the traceback module runs) was meant for the user's
// code: it is set again as the thread's asynchronous exception, raised by
// the next bytecode the thread runs, not lost.
int gk_fetch_error(gk_error *e);
void gk_error_free(gk_error *e);
// gk_take_error is gk_fetch_error into a malloc'd gk_error, or NULL when no
// exception is set.
gk_error *gk_take_error(void);

// ---- the module "gilkit": Go functions for Python (module.c) -------------

// gk_module_register adds gilkit to the built-in modules; call it before
// CPython is initialized.
int gk_module_register(void);
// gk_new_method_def makes a method definition for a Go function (never
// freed: a function object may outlive anything that could free it).
PyMethodDef *gk_new_method_def(const char *name, const char *doc);
// gk_module_add_func adds the function def, whose calls go to the Go
// function id, to module. Needs an attached thread; -1 with an exception.
int gk_module_add_func(PyObject *module, PyMethodDef *def, uintptr_t id);
// What gk_raise_go raises.
enum { GK_RAISE_ERROR = 0, GK_RAISE_PANIC = 1, GK_RAISE_TYPE_ERROR = 2 };
// gk_raise_go sets gilkit.GoError, gilkit.GoPanic or TypeError with msg.
void gk_raise_go(int kind, const char *msg);
// gk_raise_named sets the built-in exception called name (ValueError, ...)
// with msg; -1 (nothing set) when builtins has no such exception type.
int gk_raise_named(const char *name, const char *msg);
// gk_raise_exception raises exc again, as it is (a new reference is taken).
void gk_raise_exception(PyObject *exc);

// ---- facts (info.c) -------------------------------------------------------

typedef struct {
	char *version;    // "3.12.1"
	char *full_version; // sys.version
	char *executable;
	char *prefix;
	int gil_enabled;
	double switch_interval;
} gk_info;

int gk_get_info(gk_info *out);
void gk_info_free(gk_info *i);
int gk_set_switch_interval(double seconds);

#endif
