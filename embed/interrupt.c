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
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include "internal.h"

// ---- which threads run Python code ----------------------------------------
//
// Interpreter.Interrupt names a thread. A goroutine's thread keeps its
// thread state between Do calls, so an interrupt that reached it while it
// is idle would wait there and hit its next, unrelated Do. So every thread
// whose thread state gilkit keeps has a record: whether it is inside a Do,
// and which of its Do calls that is. A request is taken only for a busy
// thread and carried out only in that same Do; the outermost leave drops
// whatever arrived too late. The record also says whether the thread runs
// one of gilkit's own helpers, whose Python code an interrupt must not hit.
typedef struct gk_thread_rec {
	unsigned long ident; // PyThread_get_thread_ident
	// state counts the thread's nested attachments through gilkit's thread
	// state (a Go function's own Do nests inside the Do whose Python code
	// called it), with REC_DELIVERING set while an interrupt is delivered.
	int state;
	unsigned long gen; // counts the thread's outermost Do calls; written by its thread only
	int helper;        // gk_helper_begin is running (under windows_mu)
	int deferred;      // an interrupt waits for the helper's end (under windows_mu)
	struct gk_thread_rec *next;
} gk_thread_rec;

#define REC_DELIVERING (1 << 30)

static int rec_depth(int state) { return state & ~REC_DELIVERING; }

// recs lists every record, newest first (a dead thread's identifier may be
// reused; the newer record wins). Records live as long as the process, like
// the thread states they describe.
static pthread_mutex_t recs_mu = PTHREAD_MUTEX_INITIALIZER;
static gk_thread_rec *recs;
static GK_TLS gk_thread_rec *tl_rec;

void gk_rec_add(void) {
	if (tl_rec != NULL) return;
	gk_thread_rec *r = calloc(1, sizeof *r);
	if (r == NULL) return; // no record: interrupts always reach this thread
	r->ident = PyThread_get_thread_ident();
	pthread_mutex_lock(&recs_mu);
	r->next = recs;
	recs = r;
	pthread_mutex_unlock(&recs_mu);
	tl_rec = r;
}

static gk_thread_rec *find_rec(unsigned long ident) {
	// recs_mu is held.
	gk_thread_rec *r = recs;
	while (r != NULL && r->ident != ident) r = r->next;
	return r;
}

// Deliveries run attached to the main interpreter. On a GIL build they
// never run while this thread holds the GIL, as it does in gk_rec_busy and
// gk_rec_idle, so plain stores are enough there; without a GIL the state
// changes with atomic read-modify-writes, and going idle waits for a
// delivery under way (a few instructions), so that the leave that follows
// sees what it set.
void gk_rec_busy(void) {
	if (tl_rec == NULL) return;
	int s = __atomic_load_n(&tl_rec->state, __ATOMIC_ACQUIRE);
	if (rec_depth(s) == 0) __atomic_store_n(&tl_rec->gen, tl_rec->gen + 1, __ATOMIC_RELAXED);
#if GK_FREE_THREADED
	__atomic_fetch_add(&tl_rec->state, 1, __ATOMIC_ACQ_REL);
#else
	__atomic_store_n(&tl_rec->state, s + 1, __ATOMIC_RELEASE);
#endif
}

int gk_rec_idle(void) {
	if (tl_rec == NULL) return 0;
#if GK_FREE_THREADED
	for (;;) {
		int s = __atomic_load_n(&tl_rec->state, __ATOMIC_ACQUIRE);
		if (rec_depth(s) == 0) return 0;
		if (rec_depth(s) == 1 && (s & REC_DELIVERING)) {
			sched_yield();
			continue;
		}
		if (__atomic_compare_exchange_n(&tl_rec->state, &s, s - 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return rec_depth(s) - 1;
	}
#else
	int s = __atomic_load_n(&tl_rec->state, __ATOMIC_ACQUIRE);
	if (s == 0) return 0;
	__atomic_store_n(&tl_rec->state, s - 1, __ATOMIC_RELEASE);
	return s - 1;
#endif
}

// rec_start_delivery marks r as being delivered to if it is busy.
static int rec_start_delivery(gk_thread_rec *r) {
	int s = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
	while (rec_depth(s) > 0 && !(s & REC_DELIVERING)) {
		if (__atomic_compare_exchange_n(&r->state, &s, s | REC_DELIVERING, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return 1;
	}
	return 0;
}

static void rec_end_delivery(gk_thread_rec *r) { __atomic_fetch_and(&r->state, ~REC_DELIVERING, __ATOMIC_ACQ_REL); }

struct gk_window {
	gk_thread_rec *rec;         // the thread's record, or NULL
	unsigned long ident;        // PyThread_get_thread_ident of the thread running the closure
	PyInterpreterState *interp; // the interpreter it is attached to
	int open;                   // until gk_window_close
	int requested;              // an interrupt was asked for (at most once)
	int delivered;              // KeyboardInterrupt was set as the thread's async exception
	int refs;                   // the closure's, plus one per queued pending call
};

// One lock for every window: held only for a few instructions (plus the
// short HEAD_LOCK inside PyThreadState_SetAsyncExc), never while waiting for
// anything Python-related, so it cannot take part in a deadlock.
static pthread_mutex_t windows_mu = PTHREAD_MUTEX_INITIALIZER;

int gk_any_thread_pending_calls(void) { return GK_HAVE_ANY_THREAD_PENDING_CALLS; }

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
	w->rec = tl_rec;
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
	if (w->rec != NULL && w->rec->helper > 0) {
		// gilkit's own code runs there: it gets the interrupt at its end.
		w->rec->deferred = 1;
		w->delivered = 1;
		return 0;
	}
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

#if GK_HAVE_ANY_THREAD_PENDING_CALLS
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
#if GK_HAVE_ANY_THREAD_PENDING_CALLS
	if (gk_add_pending_call(w->interp, deliver_pending, w) != 0) {
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

int gk_async_exc_pending(PyThreadState *ts) { return ts != NULL && gk_async_exc_peek(ts) != NULL; }

PyObject *gk_drop_async_exc(void) {
	PyThreadState *ts = PyThreadState_Get();
	if (gk_async_exc_peek(ts) == NULL) return NULL;
	gk_err_saved saved;
	gk_err_save(&saved);
	// Running any bytecode raises it at the first eval-breaker check (the
	// RESUME of the code object), and CPython resets its bookkeeping with
	// it; clearing the field directly would leave 3.12's per-interpreter
	// "async exception pending" bit set, and every thread would then take
	// the slow path at every check for the rest of the process. At the same
	// check CPython runs pending calls and, on the main thread, signal
	// handlers, before the asynchronous exception: an exception they raise
	// stops the check there. It is kept for the caller, and the next round
	// drops the asynchronous exception.
	PyObject *other = NULL;
	for (int round = 0; round < 8 && gk_async_exc_peek(ts) != NULL; round++) {
		PyObject *pending = gk_async_exc_peek(ts); // an exception type: static, never freed
		PyObject *globals = PyDict_New();
		PyObject *r = globals ? PyRun_String("None", Py_eval_input, globals, globals) : NULL;
		Py_XDECREF(globals);
		if (r != NULL) {
			Py_DECREF(r);
			continue;
		}
		PyObject *exc = gk_err_take();
		if (exc == NULL) continue;
		if (gk_async_exc_peek(ts) == NULL && PyErr_GivenExceptionMatches(exc, pending)) {
			Py_DECREF(exc); // the one to drop
		} else if (other == NULL) {
			other = exc;
		} else {
			Py_DECREF(exc);
		}
	}
	// A signal that arrived with the interrupt may still wait for its
	// handler (the check that raised the interrupt stopped there): run the
	// handlers now, on the main thread, so that what they raise is this
	// closure's, not the next one's. Elsewhere this does nothing.
	if (other == NULL && PyErr_CheckSignals() < 0) {
		other = gk_err_take_untraced();
	}
	if (gk_async_exc_peek(ts) != NULL) {
		// Not raised in eight rounds (which does not happen): clear it.
		PyObject *left = gk_async_exc_take(ts);
		Py_XDECREF(left);
	}
	gk_back_in_go_rc(0); // a signal handler may have forked
	gk_err_restore(&saved);
	return other;
}

int gk_window_delivered(gk_window *w) {
	pthread_mutex_lock(&windows_mu);
	int d = w->delivered;
	pthread_mutex_unlock(&windows_mu);
	return d;
}

gk_error *gk_window_close(gk_window *w, PyThreadState *sub) {
	pthread_mutex_lock(&windows_mu);
	w->open = 0;
	int delivered = w->delivered;
	unref(w);
	pthread_mutex_unlock(&windows_mu);
	if (!delivered) return NULL;
	if (gk_attached()) {
		// Also inside an outer Do: the interrupt was this closure's, and
		// must not hit the outer code after it.
		PyObject *other = gk_drop_async_exc();
		if (other == NULL) return NULL;
		gk_raise_exception(other);
		Py_DECREF(other);
		return gk_take_error();
	}
	// The closure never attached (or the interrupt arrived while it was
	// detached and it did not attach again): attach just to drop it, which
	// the outermost gk_leave does.
	int rc = sub ? gk_enter_sub(sub) : gk_enter_main();
	if (rc != GK_OK) return NULL;
	return gk_leave();
}

#if GK_HAVE_ANY_THREAD_PENDING_CALLS
static int noop_pending(void *arg) {
	(void)arg;
	return 0;
}

typedef struct {
	unsigned long ident, gen;
} ident_request;

static int interrupt_ident_pending(void *arg) {
	ident_request *req = arg;
	gk_interrupt_if_running(req->ident, req->gen);
	free(req);
	return 0;
}
#endif

int gk_interrupt_if_running(unsigned long ident, unsigned long gen) {
	pthread_mutex_lock(&recs_mu);
	gk_thread_rec *r = find_rec(ident);
	int n = 0;
	if (r == NULL) {
		// Not a thread gilkit keeps a thread state for: a Python thread, or
		// one a C library gave a thread state; it runs Python code.
		n = PyThreadState_SetAsyncExc(ident, PyExc_KeyboardInterrupt);
	} else {
		if (rec_start_delivery(r)) {
			if (gen == 0 || __atomic_load_n(&r->gen, __ATOMIC_RELAXED) == gen) {
				pthread_mutex_lock(&windows_mu);
				if (r->helper > 0) {
					r->deferred = 1;
					n = 1;
				} else {
					n = PyThreadState_SetAsyncExc(ident, PyExc_KeyboardInterrupt);
				}
				pthread_mutex_unlock(&windows_mu);
			}
			rec_end_delivery(r);
		}
	}
	pthread_mutex_unlock(&recs_mu);
	return n;
}

void gk_interrupt_all_busy(void) {
	pthread_mutex_lock(&recs_mu);
	unsigned long idents[64];
	int n = 0;
	for (gk_thread_rec *r = recs; r != NULL && n < 64; r = r->next) {
		if (rec_depth(__atomic_load_n(&r->state, __ATOMIC_ACQUIRE)) > 0) idents[n++] = r->ident;
	}
	pthread_mutex_unlock(&recs_mu);
	for (int i = 0; i < n; i++) gk_interrupt_if_running(idents[i], 0);
}

int gk_interrupt_ident(unsigned long ident) {
	unsigned long gen = 0;
	pthread_mutex_lock(&recs_mu);
	gk_thread_rec *r = find_rec(ident);
	if (r != NULL) {
		if (rec_depth(__atomic_load_n(&r->state, __ATOMIC_ACQUIRE)) == 0) {
			pthread_mutex_unlock(&recs_mu);
			return GK_INTERRUPT_IDLE;
		}
		gen = __atomic_load_n(&r->gen, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&recs_mu);
#if GK_HAVE_ANY_THREAD_PENDING_CALLS
	ident_request *req = malloc(sizeof *req);
	if (req == NULL) return GK_INTERRUPT_QUEUE_FULL;
	req->ident = ident;
	req->gen = gen;
	if (gk_add_pending_call(gk_main_interp, interrupt_ident_pending, req) != 0) {
		free(req);
		return GK_INTERRUPT_QUEUE_FULL;
	}
	return GK_INTERRUPT_QUEUED;
#else
	(void)gen; // Go delivers it attached (gk_interrupt_thread), to whichever Do the thread is in then
	return GK_INTERRUPT_DELIVER_ATTACHED;
#endif
}

// ---- gilkit's own Python code ---------------------------------------------

static GK_TLS int tl_helper_depth;
static GK_TLS int tl_interrupted_inner; // a nested helper ran into a KeyboardInterrupt
static GK_TLS PyObject *tl_stashed; // an asynchronous exception taken at the outermost gk_helper_begin

void gk_helper_begin(void) {
	if (tl_helper_depth++ > 0) return;
	if (tl_rec != NULL) {
		pthread_mutex_lock(&windows_mu);
		tl_rec->helper = 1;
		pthread_mutex_unlock(&windows_mu);
	}
	// An interrupt already waiting to be raised would be raised in the
	// helper's first bytecode: keep it for the end.
	PyThreadState *ts = PyThreadState_Get();
	tl_stashed = gk_async_exc_take(ts);
}

void gk_helper_end(int interrupted) {
	if (--tl_helper_depth > 0) {
		if (interrupted) tl_interrupted_inner = 1;
		return;
	}
	int rearm = interrupted || tl_interrupted_inner;
	tl_interrupted_inner = 0;
	if (tl_rec != NULL) {
		pthread_mutex_lock(&windows_mu);
		tl_rec->helper = 0;
		if (tl_rec->deferred) {
			tl_rec->deferred = 0;
			rearm = 1;
		}
		pthread_mutex_unlock(&windows_mu);
	}
	PyObject *stashed = tl_stashed;
	tl_stashed = NULL;
	// Set on this thread again, for the user's next bytecode (or dropped
	// when its Do ends: gk_leave).
	unsigned long me = PyThread_get_thread_ident();
	if (stashed != NULL) {
		PyThreadState_SetAsyncExc(me, stashed);
		Py_DECREF(stashed);
	} else if (rearm) {
		PyThreadState_SetAsyncExc(me, PyExc_KeyboardInterrupt);
	}
}

int gk_signal_main(int signum) {
	if (PyErr_SetInterruptEx(signum) != 0) return -1;
	int rc = GK_INTERRUPT_DELIVER_ATTACHED;
#if GK_HAVE_ANY_THREAD_PENDING_CALLS
	// PyErr_SetInterruptEx flags the signal; on 3.12, called from a thread
	// other than the main one, it does not trip the eval breaker (3.13 does).
	// A pending call for any thread of the main interpreter trips it, and
	// the main thread then checks its signals.
	rc = gk_add_pending_call(gk_main_interp, noop_pending, NULL) == 0 ? GK_INTERRUPT_QUEUED : GK_INTERRUPT_QUEUE_FULL;
#endif
	// A main thread sleeping in time.sleep or select() wakes with EINTR and
	// checks signals at once. SIGURG is the signal the Go runtime itself
	// sends to threads to preempt them, so Go tolerates it anywhere.
	pthread_kill(gk_main_pthread, SIGURG);
	return rc;
}
