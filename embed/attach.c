// attach.c: attaching OS threads to interpreters, one thread state per
// thread and interpreter, kept for the life of the thread.
//
// Creating a thread state per call (what PyGILState_Ensure does on a thread
// Python has not seen) costs ~12 us; restoring a kept one costs ~100 ns.
// The Go side keeps a goroutine locked to its OS thread between gk_enter and
// gk_leave, so these thread-locals describe that goroutine.
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

static GK_TLS PyThreadState *tl_kept; // the state gilkit created for this thread in the main interpreter
static GK_TLS PyThreadState *tl_cur;  // the state attached through gilkit
static GK_TLS int tl_depth;           // nesting of gk_enter on this thread
static GK_TLS int tl_foreign;         // attached before gilkit was entered (a Python thread calling Go)

void gk_keep_thread_state(PyThreadState *ts) {
	tl_kept = ts;
	gk_rec_add();
}

// The C API allows PyThreadState_New without the GIL "but [the GIL] may be
// held if it is necessary to serialize calls to this function"; we
// serialize them ourselves. It happens once per thread, so the lock costs
// nothing that matters.
static pthread_mutex_t new_tstate_lock = PTHREAD_MUTEX_INITIALIZER;

static PyThreadState *new_thread_state(PyInterpreterState *interp) {
	pthread_mutex_lock(&new_tstate_lock);
	PyThreadState *ts = PyThreadState_New(interp);
	pthread_mutex_unlock(&new_tstate_lock);
	return ts;
}

// kept_thread_state returns the thread state this thread attaches to the
// main interpreter with. A thread that Python started, or that a C library
// gave a thread state with PyGILState_Ensure, already has one: it is used
// as it is, rather than give the thread a second one (which
// PyThreadState_SetAsyncExc, looking threads up by id, might pick instead).
// It is never kept in tl_kept: its creator destroys it (the thread ends, or
// the PyGILState_Release that balances the Ensure), and the next attach on
// this thread must not find a freed thread state. Only a thread state
// gilkit created is kept, for the life of the thread.
static PyThreadState *kept_thread_state(void) {
	if (tl_kept != NULL) return tl_kept;
	PyThreadState *known = PyGILState_GetThisThreadState();
	if (known != NULL && PyThreadState_GetInterpreter(known) == gk_main_interp) return known;
	tl_kept = new_thread_state(gk_main_interp);
	gk_rec_add();
	return tl_kept;
}

// fenced is set by gk_fence_close: CPython finalizes, nothing may attach.
static int fenced;

void gk_fence_close(void) { __atomic_store_n(&fenced, 1, __ATOMIC_SEQ_CST); }

int gk_fence_closed(void) { return __atomic_load_n(&fenced, __ATOMIC_ACQUIRE); }

// park_if_fenced stops the calling thread for ever once the fence is
// closed, or once CPython finalizes (a thread that attached then would be
// ended under Go's frames): the process is about to exit. Signals still
// reach the thread's handlers (pause returns), so it loops.
static void park_if_fenced(int finalizing_too) {
	if (!__atomic_load_n(&fenced, __ATOMIC_ACQUIRE) && !(finalizing_too && gk_finalizing())) return;
	for (;;) pause();
}

static int enter(PyInterpreterState *interp, PyThreadState *ts) {
	if (tl_depth > 0) {
		if (PyThreadState_GetInterpreter(tl_cur) != interp) return GK_OTHER_INTERP;
		tl_depth++;
		return GK_OK;
	}
	PyThreadState *already = gk_tstate_attached_here();
	if (already != NULL) {
		// Python called into Go on this thread and Go enters again:
		// it is attached already; do not detach it on leave.
		if (PyThreadState_GetInterpreter(already) != interp) return GK_OTHER_INTERP;
		tl_cur = already;
		tl_foreign = 1;
		tl_depth = 1;
		return GK_OK;
	}
	if (ts == NULL) ts = kept_thread_state();
	park_if_fenced(0);
	PyEval_RestoreThread(ts);
	if (ts == tl_kept) gk_rec_busy();
	tl_cur = ts;
	tl_depth = 1;
	return GK_OK;
}

int gk_enter_main(void) { return enter(gk_main_interp, NULL); }

int gk_enter_sub(PyThreadState *ts) { return enter(PyThreadState_GetInterpreter(ts), ts); }

gk_call_result gk_enter_call0(uintptr_t fn, uintptr_t sub) {
	gk_call_result res = {NULL, sub ? gk_enter_sub((PyThreadState *)sub) : gk_enter_main()};
	if (res.rc == GK_OK) res.result = gk_back_in_go(PyObject_CallNoArgs((PyObject *)fn));
	return res;
}

// leave_outermost ends gilkit's attachment: the thread is idle from now on,
// an interrupt that came too late is dropped (keeping what a signal handler
// raised meanwhile, as a new reference in *other), and the thread detaches.
static void leave_outermost(PyObject **other) {
	// Only when the thread's Python work is over: a Go function's own Do
	// ends with the Python code that called it still running, and a Python
	// thread (or a C library's) runs on after its call into Go.
	int over;
	if (tl_cur == tl_kept) {
		over = gk_rec_idle() == 0;
	} else {
		over = PyThreadState_GetInterpreter(tl_cur) != gk_main_interp; // a subinterpreter's Do
	}
	if (!over) return;
	while (gk_async_exc_pending(tl_cur)) {
		PyObject *o = gk_drop_async_exc();
		if (o != NULL && *other == NULL) {
			*other = o;
		} else {
			Py_XDECREF(o);
		}
	}
}

gk_error *gk_leave(void) {
	if (--tl_depth > 0) return NULL;
	gk_error *err = NULL;
	if (!tl_foreign) {
		PyObject *other = NULL;
		leave_outermost(&other);
		if (other != NULL) {
			gk_raise_exception(other);
			Py_DECREF(other);
			err = gk_take_error();
		}
		PyEval_SaveThread();
	}
	tl_cur = NULL;
	tl_foreign = 0;
	return err;
}

// save_and_detach records this thread's gilkit nesting in a gk_saved and
// releases cur, the thread state attached on this thread.
static gk_saved save_and_detach(PyThreadState *cur) {
	gk_saved s = {cur, tl_depth, tl_depth > 0 ? tl_foreign : 0};
	PyEval_SaveThread();
	tl_cur = NULL;
	tl_depth = 0;
	tl_foreign = 0;
	return s;
}

gk_saved gk_detach_begin(void) { return save_and_detach(tl_cur); }

void gk_detach_end(gk_saved s) {
	park_if_fenced(1);
	PyEval_RestoreThread(s.ts);
	tl_cur = s.depth > 0 ? s.ts : NULL;
	tl_depth = s.depth;
	tl_foreign = s.foreign;
}

int gk_attached(void) { return tl_depth > 0; }

void gk_ensure_thread_state(void) { (void)kept_thread_state(); }

gk_saved gk_detach_any(void) {
	PyThreadState *cur = tl_depth > 0 ? tl_cur : gk_tstate_attached_here();
	if (cur == NULL) return (gk_saved){NULL, 0, 0};
	return save_and_detach(cur);
}

void gk_reattach(gk_saved s) {
	if (s.ts != NULL) gk_detach_end(s);
}

void gk_decref_many(uintptr_t *objs, int n) {
	for (int i = 0; i < n; i++) Py_DECREF((PyObject *)objs[i]); // may run __del__
	gk_back_in_go_rc(0);
}

unsigned long gk_thread_ident(void) { return PyThread_get_thread_ident(); }

int gk_interrupt_thread(unsigned long ident) {
	// KeyboardInterrupt, like Ctrl-C: `except Exception` does not swallow it.
	return gk_interrupt_if_running(ident, 0);
}

gk_oneshot gk_oneshot_call0(uintptr_t fn) {
	gk_oneshot res = {NULL, NULL, gk_enter_main()};
	if (res.rc != GK_OK) return res;
	res.result = gk_back_in_go(PyObject_CallNoArgs((PyObject *)fn));
	if (res.result == NULL) {
		res.err = gk_take_error();
	} else if (res.result == Py_None || res.result == Py_True || res.result == Py_False) {
		// Go keeps unowned handles for the singletons; drop the reference
		// while still attached (a no-op from 3.12 on, where they are immortal).
		Py_DECREF(res.result);
	}
	gk_error *left = gk_leave();
	if (left != NULL) {
		// A signal handler raised as the call ended: that is the call's
		// outcome (its result is dropped through Go's queue).
		if (res.err == NULL) {
			res.err = left;
		} else {
			gk_error_free(left);
			free(left);
		}
	}
	return res;
}

// gk_count_thread_states counts the thread states of the interpreter the
// caller is attached to (for the stress test's leak check).
int gk_count_thread_states(void) {
	int n = 0;
	for (PyThreadState *t = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); t != NULL; t = PyThreadState_Next(t)) n++;
	return n;
}
