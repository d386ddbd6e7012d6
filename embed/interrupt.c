// interrupt.c: interrupting Python code that a goroutine runs, without
// waiting for the GIL.
//
// A window is the stretch of one Do closure during which its Python code may
// be interrupted (see interrupt.go). Interrupting it must not need the GIL:
// the code to interrupt may hold it for a long time, and the goroutine that
// asks must never block. So the request is handed to CPython's pending-call
// queue of the window's interpreter (_PyEval_AddPendingCall, which takes only
// a short internal lock). From 3.12 on, every thread of that interpreter runs
// queued calls at its next eval-breaker check (a loop's back edge or a call),
// so the call runs at once on whichever thread is executing bytecode - often
// the target itself - and there, attached, it sets KeyboardInterrupt as the
// target's asynchronous exception (PyThreadState_SetAsyncExc). The target
// raises it at its own next check. On 3.11 only the main thread runs pending
// calls, so Go delivers from a goroutine that attaches instead (slower, and
// it waits for the GIL; the caller still never waits).
//
// Python code inside one C call that holds the GIL (a long regex match, a
// huge int power) runs no bytecode and is interrupted only when that call
// returns; code blocked in a call that released the GIL (time.sleep, a socket
// read) likewise sees the interrupt when the call returns.
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include "gilkit.h"

extern PyInterpreterState *gk_main_interp;
extern pthread_t gk_main_pthread;

#if PY_VERSION_HEX >= 0x030C0000
// Exported by libpython for CPython's own test modules, declared only in its
// internal headers. flags 0 = any thread of interp may run the call (3.12
// named the argument mainthreadonly; 3.13 made it a flags word, 0 meaning the
// same). Returns 0, or -1 when the queue is full.
extern int _PyEval_AddPendingCall(PyInterpreterState *interp, int (*func)(void *), void *arg, int flags);
#endif

struct gk_window {
	unsigned long ident;        // PyThread_get_thread_ident of the thread running the closure
	PyInterpreterState *interp; // the interpreter it is attached to
	int open;                   // until gk_window_close
	int requested;              // an interrupt was asked for (at most once)
	int delivered;              // KeyboardInterrupt was set as the thread's async exception
	int refs;                   // the owner, plus one per queued pending call
};

// One lock for every window: held only for a few instructions (plus the
// short HEAD_LOCK inside PyThreadState_SetAsyncExc), never while waiting for
// anything Python-related, so it cannot take part in a deadlock.
static pthread_mutex_t windows_mu = PTHREAD_MUTEX_INITIALIZER;

int gk_any_thread_pending_calls(void) { return PY_VERSION_HEX >= 0x030C0000; }

static void unref(gk_window *w) {
	// windows_mu is held.
	if (--w->refs == 0) free(w);
}

gk_window *gk_window_open(PyThreadState *sub) {
	gk_window *w = calloc(1, sizeof *w);
	if (w == NULL) return NULL;
	if (sub == NULL) {
		// SetAsyncExc looks the thread up among the interpreter's thread
		// states: the thread needs one even before its first attach.
		gk_ensure_thread_state();
		w->interp = gk_main_interp;
	} else {
		w->interp = PyThreadState_GetInterpreter(sub);
	}
	w->ident = PyThread_get_thread_ident();
	w->open = 1;
	w->refs = 1;
	return w;
}

// deliver raises KeyboardInterrupt in the window's code if the window is
// still open - KeyboardInterrupt, like Ctrl-C, so that `except Exception`
// does not swallow it. The caller is attached to w's interpreter, and
// windows_mu is held. On the target thread itself (the usual case: the
// target was running bytecode and ran the pending call) the exception is
// raised right here, and deliver returns -1 for the pending call to
// propagate it. On any other thread it becomes the target's asynchronous
// exception, raised at the target's next eval-breaker check. (Setting the
// async exception on the target itself would be enough on 3.12, which
// checks it right after pending calls; 3.13 looks at a snapshot of the
// eval-breaker bits and would let the code run on until the next check.)
static int deliver(gk_window *w, int may_raise_here) {
	if (!w->open || w->delivered) return 0;
	if (may_raise_here && w->ident == PyThread_get_thread_ident() &&
	    PyInterpreterState_Get() == w->interp) {
		w->delivered = 1;
		PyErr_SetNone(PyExc_KeyboardInterrupt);
		return -1;
	}
	if (PyThreadState_SetAsyncExc(w->ident, PyExc_KeyboardInterrupt) > 0) w->delivered = 1;
	return 0;
}

void gk_window_deliver_attached(gk_window *w) {
	pthread_mutex_lock(&windows_mu);
	deliver(w, 0);
	unref(w);
	pthread_mutex_unlock(&windows_mu);
}

#if PY_VERSION_HEX >= 0x030C0000
static int deliver_pending(void *arg) {
	gk_window *w = arg;
	pthread_mutex_lock(&windows_mu);
	int rc = deliver(w, 1);
	unref(w);
	pthread_mutex_unlock(&windows_mu);
	return rc;
}
#endif

int gk_window_request(gk_window *w) {
	pthread_mutex_lock(&windows_mu);
	if (!w->open || w->requested) {
		pthread_mutex_unlock(&windows_mu);
		return GK_INTERRUPT_NOT_NEEDED;
	}
	w->requested = 1;
	w->refs++; // for the pending call (or the Go goroutine on 3.11)
	pthread_mutex_unlock(&windows_mu);
#if PY_VERSION_HEX >= 0x030C0000
	if (_PyEval_AddPendingCall(w->interp, deliver_pending, w, 0) != 0) {
		pthread_mutex_lock(&windows_mu);
		w->requested = 0;
		unref(w);
		pthread_mutex_unlock(&windows_mu);
		return GK_INTERRUPT_QUEUE_FULL;
	}
	return GK_INTERRUPT_QUEUED;
#else
	return GK_INTERRUPT_DELIVER_ATTACHED;
#endif
}

// consume_leftover drops an interrupt that was delivered to the window but
// not raised before it closed (the closure returned between the delivery and
// the next eval-breaker check), so that it cannot hit later, unrelated code
// on this thread. The thread is attached.
static void consume_leftover(void) {
	PyThreadState *ts = PyThreadState_Get();
#if PY_VERSION_HEX >= 0x030D0000
	PyObject *pending = __atomic_load_n(&ts->async_exc, __ATOMIC_ACQUIRE);
#else
	PyObject *pending = ts->async_exc; // guarded by the GIL, which we hold
#endif
	if (pending == NULL) return;
#if PY_VERSION_HEX >= 0x030C0000
	PyObject *saved = PyErr_GetRaisedException();
#else
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
#endif
	// Running any bytecode raises it at the first eval-breaker check (the
	// RESUME of the code object) and resets CPython's bookkeeping with it;
	// clearing the field directly would leave 3.12's per-interpreter
	// "async exception pending" flag set, and every thread would then take
	// the slow path at every check for the rest of the process.
	PyObject *globals = PyDict_New();
	PyObject *r = globals ? PyRun_String("None", Py_eval_input, globals, globals) : NULL;
	Py_XDECREF(r);
	Py_XDECREF(globals);
	PyErr_Clear();
#if PY_VERSION_HEX >= 0x030D0000
	PyObject *left = __atomic_exchange_n(&ts->async_exc, NULL, __ATOMIC_ACQ_REL);
#else
	PyObject *left = ts->async_exc;
	ts->async_exc = NULL;
#endif
	Py_XDECREF(left);
#if PY_VERSION_HEX >= 0x030C0000
	PyErr_SetRaisedException(saved);
#else
	PyErr_Restore(type, value, tb);
#endif
}

int gk_window_delivered(gk_window *w) {
	pthread_mutex_lock(&windows_mu);
	int d = w->delivered;
	pthread_mutex_unlock(&windows_mu);
	return d;
}

void gk_window_close(gk_window *w, PyThreadState *sub) {
	pthread_mutex_lock(&windows_mu);
	w->open = 0;
	int delivered = w->delivered;
	unref(w);
	pthread_mutex_unlock(&windows_mu);
	if (!delivered) return;
	if (gk_attached()) {
		consume_leftover();
		return;
	}
	// The closure never attached (or the interrupt arrived while it was
	// detached and it did not attach again): attach just to drop it.
	int rc = sub ? gk_enter_sub(sub) : gk_enter_main();
	if (rc != GK_OK) return;
	consume_leftover();
	gk_leave();
}

#if PY_VERSION_HEX >= 0x030C0000
static int noop_pending(void *arg) {
	(void)arg;
	return 0;
}

static int interrupt_ident_pending(void *arg) {
	PyThreadState_SetAsyncExc((unsigned long)(uintptr_t)arg, PyExc_KeyboardInterrupt);
	return 0;
}
#endif

int gk_interrupt_ident(unsigned long ident) {
#if PY_VERSION_HEX >= 0x030C0000
	return _PyEval_AddPendingCall(gk_main_interp, interrupt_ident_pending, (void *)(uintptr_t)ident, 0) == 0
	           ? GK_INTERRUPT_QUEUED
	           : GK_INTERRUPT_QUEUE_FULL;
#else
	(void)ident;
	return GK_INTERRUPT_DELIVER_ATTACHED;
#endif
}

int gk_signal_main(int signum) {
	if (PyErr_SetInterruptEx(signum) != 0) return -1;
	int rc = GK_INTERRUPT_DELIVER_ATTACHED;
#if PY_VERSION_HEX >= 0x030C0000
	// PyErr_SetInterruptEx flags the signal; on 3.12, called from a thread
	// other than the main one, it does not trip the eval breaker (3.13 does).
	// A pending call for any thread of the main interpreter trips it, and
	// the main thread then checks its signals.
	rc = _PyEval_AddPendingCall(gk_main_interp, noop_pending, NULL, 0) == 0 ? GK_INTERRUPT_QUEUED : GK_INTERRUPT_QUEUE_FULL;
#endif
	// A main thread sleeping in time.sleep or select() wakes with EINTR and
	// checks signals at once. SIGURG is the signal the Go runtime itself
	// sends to threads to preempt them, so Go tolerates it anywhere.
	pthread_kill(gk_main_pthread, SIGURG);
	return rc;
}
