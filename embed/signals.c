// signals.c: signals as python sees them, in a process whose signals belong
// to Go (see signals.go for the policy).
//
// CPython keeps a table of Python-level handlers (signal.getsignal) and, in
// the python command, installs its own C handler (trip_signal) for each
// signal that has a Python handler. Here the Go runtime has a handler for
// nearly every signal. So:
//   - CPython's table is set to what python would start with (SIGINT:
//     default_int_handler, SIGPIPE and SIGXFSZ ignored, the rest as
//     inherited from the parent), and _signal.signal is wrapped so that
//     every later change is mirrored below;
//   - a signal with a Python handler gets gilkit's trampoline, which runs
//     CPython's own C handler (trip_signal) as python does; when the kernel
//     picked one of the Go runtime's threads, which python does not have, it
//     forwards the signal to Python's main thread, so that blocking calls
//     there return EINTR and the handler runs at once;
//   - an ignored signal is ignored by the kernel, as in python (children
//     inherit it);
//   - a signal at its default action is forwarded the same way (if the main
//     thread blocks it, it stays pending there, for sigwait); once a Python
//     thread has it, Go ends the process as the default action would, after
//     flushing (signals.go). The synchronous signals (SIGSEGV
//     and friends) and SIGABRT stay with the Go runtime, which panics on a
//     fault in Go code and tells signals.go about the rest.
// Forked children get exactly python's dispositions (fork.c).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gilkit_main.h"

// ---- the process as it started, before the Go runtime changed it ----------

static struct sigaction inherited[NSIG];
static int closed_at_start[3];
static pid_t start_pid;

// Runs before the Go runtime installs its signal handlers and opens
// /dev/null on closed standard descriptors: python would see these.
__attribute__((constructor)) static void record_process_start(void) {
	start_pid = getpid();
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &inherited[sig]) != 0) {
			memset(&inherited[sig], 0, sizeof inherited[sig]); // SIG_DFL
		}
	}
	for (int fd = 0; fd < 3; fd++) closed_at_start[fd] = fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

int gk_start_pid(void) { return (int)start_pid; }

void gk_reclose_stdio(void) {
	for (int fd = 0; fd < 3; fd++) {
		if (closed_at_start[fd]) close(fd);
	}
}

int gk_inherited_ignored(int sig) { return sig > 0 && sig < NSIG && inherited[sig].sa_handler == SIG_IGN; }

// ---- python-like dispositions ---------------------------------------------

static volatile sig_atomic_t disp[NSIG];
static struct sigaction go_action[NSIG];    // Go's handler for each signal, taken at install time
static struct sigaction child_action[NSIG]; // what python would have installed: for forked children
static struct sigaction py_action;          // CPython's own C handler, as CPython installs it
static volatile sig_atomic_t active;
static int notify_fd = -1;                  // tells Go which signals Python handled
static PyObject *orig_signal;               // _signal.signal
static PyObject *orig_kill;                 // posix.kill
// settled counts, per signal, the times its Python-level C handler ran
// (trip_signal): where python has the signal once os.kill returns (see
// kill_wrapper). Per signal, so that another signal's handler running late
// on some thread cannot pass for this one.
static unsigned long settled[NSIG];

static void count_settled(int sig) { __atomic_add_fetch(&settled[sig], 1, __ATOMIC_RELEASE); }

static void forward_to_main(int sig) { pthread_kill(gk_main_thread(), sig); }

static int is_handler(const struct sigaction *a) {
	if (a->sa_flags & SA_SIGINFO) return a->sa_sigaction != NULL;
	return a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
}

static void call_action(const struct sigaction *a, int sig, siginfo_t *info, void *ctx) {
	if (a->sa_flags & SA_SIGINFO) {
		a->sa_sigaction(sig, info, ctx);
	} else {
		a->sa_handler(sig);
	}
}

// glibc keeps 32 and 33 for itself; the kernel never lets anyone catch
// SIGKILL and SIGSTOP.
static int catchable(int sig) {
	return sig != SIGKILL && sig != SIGSTOP && !(sig >= 32 && sig < SIGRTMIN);
}

// go_thread reports whether the kernel picked one of the Go runtime's
// threads, which python does not have: those hand the signal on to
// Python's main thread. A thread Python created (or attached) takes it
// itself, as it would in python. Async-signal-safe: a thread-specific key.
static int go_thread(void) {
	return gk_main_thread_known() && !gk_on_main_thread() && PyGILState_GetThisThreadState() == NULL;
}

// in_child reports whether this is a child forked from the Go process
// (the handlers are inherited until fork.c replaces them). getpid is
// async-signal-safe.
static int in_child(void) { return getpid() != start_pid; }

static void trampoline(int sig, siginfo_t *info, void *ctx) {
	int saved = errno;
	if (sig == SIGURG) {
		// The Go runtime preempts goroutines with SIGURG: it must see every
		// one, and Python only those another process sent.
		if (is_handler(&go_action[sig])) call_action(&go_action[sig], sig, info, ctx);
		if (info == NULL || info->si_code != SI_USER) {
			errno = saved;
			return;
		}
		call_action(&py_action, sig, info, ctx);
		count_settled(sig);
	} else if (!in_child() && go_thread()) {
		forward_to_main(sig);
	} else {
		call_action(&py_action, sig, info, ctx);
		if (notify_fd >= 0 && !in_child()) {
			unsigned char b = (unsigned char)sig;
			ssize_t n = write(notify_fd, &b, 1);
			(void)n; // a full pipe only loses a notification Go does not need
		}
		count_settled(sig);
	}
	errno = saved;
}

// default_trampoline handles a signal at its default action that ends the
// process: on a Python thread it asks Go to carry the action out; on a Go
// thread it sends the signal to Python's main thread, where python would
// have taken it (and where a mask or sigwait may hold it).
static void default_trampoline(int sig, siginfo_t *info, void *ctx) {
	(void)info;
	(void)ctx;
	int saved = errno;
	if (in_child()) {
		// A child forked a moment ago, before fork.c gave it python's
		// dispositions: the default action, here (the notify pipe is the
		// parent's).
		gk_die_by_signal(sig);
	} else if (go_thread()) {
		forward_to_main(sig);
	} else if (notify_fd >= 0) {
		unsigned char b = (unsigned char)(GK_NOTIFY_DEFAULT | sig);
		ssize_t n = write(notify_fd, &b, 1);
		(void)n;
		// Not settled: Go decides (signals.go), and forwards it to the
		// main thread where that blocks it.
	}
	errno = saved;
}

// forwards_default lists the signals whose default action ends the process
// and that gilkit routes itself: not the synchronous ones and SIGABRT (the
// Go runtime's), nor SIGPIPE (the kernel's: python dies inside the write,
// before any Python code sees the broken pipe).
static int forwards_default(int sig) {
	switch (sig) {
	case SIGHUP: case SIGINT: case SIGQUIT: case SIGUSR1: case SIGUSR2: case SIGALRM:
	case SIGTERM: case SIGSTKFLT: case SIGXCPU: case SIGXFSZ: case SIGVTALRM:
	case SIGPROF: case SIGIO: case SIGPWR:
		return 1;
	}
	return sig >= SIGRTMIN && sig <= SIGRTMAX;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
	struct sigaction t;
	memset(&t, 0, sizeof t);
	t.sa_sigaction = fn;
	t.sa_flags = SA_SIGINFO | SA_ONSTACK | flags;
	sigemptyset(&t.sa_mask);
	sigaction(sig, &t, NULL);
}

// apply makes the kernel's disposition of sig follow CPython's table, which
// _signal.signal has just set (and with it the kernel's, to python's).
static void apply(int sig, int kind) {
	struct sigaction cur;
	if (sigaction(sig, NULL, &cur) != 0) return;
	child_action[sig] = cur;
	if (kind == GK_DISP_PYTHON) {
		py_action = cur;
		install(sig, trampoline, cur.sa_flags & SA_RESTART);
	} else if (kind == GK_DISP_DEFAULT && forwards_default(sig)) {
		install(sig, default_trampoline, SA_RESTART);
	} else if (kind == GK_DISP_DEFAULT && sig != SIGPIPE && is_handler(&go_action[sig])) {
		sigaction(sig, &go_action[sig], NULL);
	}
	disp[sig] = kind;
}

// gk_signals_uninstall gives every signal back to the Go runtime.
void gk_signals_uninstall(void) {
	if (!active) return;
	active = 0;
	for (int sig = 1; sig < NSIG; sig++) {
		if (catchable(sig)) sigaction(sig, &go_action[sig], NULL);
	}
}

static int classify(PyObject *handler) {
	if (PyCallable_Check(handler)) return GK_DISP_PYTHON;
	if (PyLong_Check(handler)) {
		long v = PyLong_AsLong(handler);
		if (v == -1 && PyErr_Occurred()) PyErr_Clear();
		if (v == (long)(intptr_t)SIG_IGN) return GK_DISP_IGNORE;
	}
	return GK_DISP_DEFAULT;
}

// signal_wrapper replaces _signal.signal (which signal.signal calls).
static PyObject *signal_wrapper(PyObject *self, PyObject *args) {
	(void)self;
	PyObject *r = PyObject_Call(orig_signal, args, NULL);
	if (r == NULL || PyTuple_GET_SIZE(args) != 2) return r;
	long sig = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
	if (sig == -1 && PyErr_Occurred()) {
		PyErr_Clear();
		return r;
	}
	if (sig > 0 && sig < NSIG) apply((int)sig, classify(PyTuple_GET_ITEM(args, 1)));
	return r;
}

static PyMethodDef signal_wrapper_def = {
	"signal", signal_wrapper, METH_VARARGS,
	"signal(signalnum, handler, /)\n--\n\nSet the action for the given signal."};

// ---- a signal the program sends itself -------------------------------------
//
// In python, os.kill(os.getpid(), sig) returns with the signal where the
// kernel put it: its C handler has run (the Python handler runs at the next
// bytecode boundary), or it is pending for the thread that blocks it. Here
// the kernel may pick one of the Go runtime's threads instead, whose
// trampoline forwards it to Python's main thread a moment later: the next
// line of the script would see neither. So after a kill of its own process
// of a signal gilkit routes, os.kill waits until the signal is where python
// would have it: its handler ran (settled moved) or, where the calling
// thread blocks it, it is pending for this thread. The kernel keeps the
// thread's pending set apart from the process's (sigpending shows their
// union, so cannot tell a signal on its way to a Go thread from one that
// arrived): /proc/thread-self/status lists both.

// QUEUED_BOUND_NS is the longest os.kill waits while the signal is queued
// for the process: one that every thread blocks stays there (as in python,
// where sigpending shows it) and must not cost more.
// IN_FLIGHT_BOUND_NS is the longest it waits once a thread has taken it off
// that queue: a Go thread's forward is a pthread_kill away and lands unless
// that thread is descheduled, which on a loaded machine can last tens of
// milliseconds; the bound only keeps a stuck thread from hanging the script.
#define QUEUED_BOUND_NS (20L * 1000 * 1000)
#define IN_FLIGHT_BOUND_NS (2000L * 1000 * 1000)
#define SETTLE_STEP_NS 10000L

static int routed(int sig) {
	return active && sig > 0 && sig < NSIG && catchable(sig) &&
	       (disp[sig] == GK_DISP_PYTHON || (disp[sig] == GK_DISP_DEFAULT && forwards_default(sig)));
}

// mask_field reads the hexadecimal signal mask on the line of status that
// starts with name ("SigPnd:"): bit sig-1 is signal sig.
static int mask_field(const char *status, const char *name, unsigned long long *mask) {
	const char *p = strstr(status, name);
	if (p == NULL) return -1;
	p += strlen(name);
	char *end;
	errno = 0;
	*mask = strtoull(p, &end, 16);
	return errno == 0 && end != p ? 0 : -1;
}

typedef struct {
	int thread, process; // sig is pending for this thread, for the process
} pending_at;

// pending_now says where sig is pending; -1 where /proc cannot tell.
static int pending_now(int sig, pending_at *at) {
	if (sig > 64) return -1; // the status masks are 64 bits
	char buf[4096];
	int fd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return -1;
	buf[n] = 0;
	unsigned long long thread, process;
	if (mask_field(buf, "\nSigPnd:", &thread) != 0 || mask_field(buf, "\nShdPnd:", &process) != 0) return -1;
	at->thread = (int)((thread >> (sig - 1)) & 1);
	at->process = (int)((process >> (sig - 1)) & 1);
	return 0;
}

static long now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void settle(int sig, unsigned long settled_before) {
	sigset_t mask;
	int blocked = pthread_sigmask(SIG_BLOCK, NULL, &mask) == 0 && sigismember(&mask, sig) == 1;
	long start = now_ns();
	for (;;) {
		if (__atomic_load_n(&settled[sig], __ATOMIC_ACQUIRE) != settled_before) return;
		pending_at at;
		if (pending_now(sig, &at) != 0) {
			// /proc cannot tell: sigpending's union stands for both (a
			// signal still queued for the process passes for arrived), and
			// the wait is no longer than for a queued one.
			sigset_t pending;
			at.thread = sigpending(&pending) == 0 && sigismember(&pending, sig) == 1;
			at.process = 1;
		}
		if (blocked && at.thread) return;
		if (now_ns() - start >= (at.process ? QUEUED_BOUND_NS : IN_FLIGHT_BOUND_NS)) return;
		struct timespec ts = {0, SETTLE_STEP_NS};
		nanosleep(&ts, NULL); // a signal delivered here ends it early
	}
}

// kill_wrapper replaces posix.kill (os.kill is the same function).
static PyObject *kill_wrapper(PyObject *self, PyObject *args) {
	(void)self;
	long pid = 0, sig = 0;
	if (PyTuple_GET_SIZE(args) == 2) {
		pid = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
		sig = pid == -1 && PyErr_Occurred() ? 0 : PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
		if (PyErr_Occurred()) {
			PyErr_Clear(); // the real kill reports it
			pid = sig = 0;
		}
	}
	int own = pid == (long)getpid() && routed((int)sig);
	unsigned long settled_before = own ? __atomic_load_n(&settled[sig], __ATOMIC_ACQUIRE) : 0;
	PyObject *r = PyObject_Call(orig_kill, args, NULL);
	if (r != NULL && own) settle((int)sig, settled_before);
	return r;
}

static PyMethodDef kill_wrapper_def = {
	"kill", kill_wrapper, METH_VARARGS,
	"kill(pid, signal, /)\n--\n\nKill a process with a signal."};

// wrap_kill puts kill_wrapper in place of posix.kill, and of os.kill if os
// is imported already (a later `import os` takes posix's): sys.modules stays
// as python has it.
static int wrap_kill(void) {
	PyObject *posix = PyImport_ImportModule("posix"); // imported at startup
	orig_kill = posix ? PyObject_GetAttrString(posix, "kill") : NULL;
	PyObject *w = orig_kill ? PyCFunction_New(&kill_wrapper_def, NULL) : NULL;
	int rc = (w != NULL && PyObject_SetAttrString(posix, "kill", w) == 0) ? 0 : -1;
	PyObject *name = rc == 0 ? PyUnicode_FromString("os") : NULL;
	PyObject *os = name ? PyImport_GetModule(name) : NULL;
	if (os != NULL && PyObject_SetAttrString(os, "kill", w) < 0) rc = -1;
	if (name == NULL || (os == NULL && PyErr_Occurred())) rc = -1;
	Py_XDECREF(os);
	Py_XDECREF(name);
	Py_XDECREF(w);
	Py_XDECREF(posix);
	return rc;
}

int gk_signals_install(int nfd) {
	notify_fd = nfd;
	for (int sig = 1; sig < NSIG; sig++) sigaction(sig, NULL, &go_action[sig]);
	PyObject *mod = PyImport_ImportModule("_signal");
	if (mod == NULL) return -1;
	orig_signal = PyObject_GetAttrString(mod, "signal");
	PyObject *ign = PyObject_GetAttrString(mod, "SIG_IGN");
	PyObject *dfl = PyObject_GetAttrString(mod, "SIG_DFL");
	PyObject *intr = PyObject_GetAttrString(mod, "default_int_handler");
	PyObject *wrapper = PyCFunction_New(&signal_wrapper_def, NULL);
	int rc = -1;
	if (!orig_signal || !ign || !dfl || !intr || !wrapper) goto done;
	for (int sig = 1; sig < NSIG; sig++) {
		if (!catchable(sig)) continue;
		// What python starts with: inherited dispositions, SIGINT raising
		// KeyboardInterrupt, SIGPIPE and SIGXFSZ ignored.
		PyObject *want = dfl;
		if (gk_inherited_ignored(sig) || sig == SIGPIPE || sig == SIGXFSZ) {
			want = ign;
		} else if (sig == SIGINT) {
			want = intr;
		}
		PyObject *r = PyObject_CallFunction(orig_signal, "iO", sig, want);
		if (r == NULL) {
			PyErr_Clear();
			continue;
		}
		Py_DECREF(r);
		apply(sig, classify(want));
	}
	if (PyObject_SetAttrString(mod, "signal", wrapper) < 0 || wrap_kill() < 0) goto done;
	active = 1;
	rc = 0;
done:
	Py_XDECREF(ign);
	Py_XDECREF(dfl);
	Py_XDECREF(intr);
	Py_XDECREF(wrapper);
	Py_DECREF(mod);
	return rc;
}

int gk_signals_active(void) { return active; }

int gk_disposition(int sig) { return (sig > 0 && sig < NSIG) ? disp[sig] : GK_DISP_DEFAULT; }

// gk_child_signals gives a forked child python's dispositions: Go's
// handlers and gilkit's trampoline are useless in a child where the Go
// runtime does not run. Async-signal-safe (it runs right after fork).
void gk_child_signals(void) {
	struct sigaction go_ref;
	int have_go = 0;
	if (!active) {
		// Library use: only handlers that are Go's (SIGURG's is always Go's)
		// go back to what the process inherited.
		have_go = sigaction(SIGURG, NULL, &go_ref) == 0 && is_handler(&go_ref);
	}
	for (int sig = 1; sig < NSIG; sig++) {
		if (!catchable(sig)) continue;
		if (active) {
			sigaction(sig, &child_action[sig], NULL);
			continue;
		}
		struct sigaction cur;
		if (!have_go || sigaction(sig, NULL, &cur) != 0 || !is_handler(&cur)) continue;
		if (cur.sa_sigaction == go_ref.sa_sigaction) sigaction(sig, &inherited[sig], NULL);
	}
}

// gk_die_by_signal ends the process as sig's default action would. It
// returns only if that action does not end a process.
void gk_die_by_signal(int sig) {
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}
