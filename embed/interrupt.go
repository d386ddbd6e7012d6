package embed

/*
#include "gilkit.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// anyThreadPendingCalls is true from CPython 3.12 on, where an interrupt is
// delivered without the GIL (see interrupt.c).
var anyThreadPendingCalls = C.gk_any_thread_pending_calls() != 0

// Interrupter raises KeyboardInterrupt in the Python code of one Do closure:
// the closure whose token made it with [Py.Interrupter]. It is the mechanism
// behind [Interpreter.DoContext]; use it directly to stop Python code on
// events other than a context (a signal, a UI button).
//
// Interrupt may be called from any goroutine, attached or not, any number of
// times. It never waits for the GIL: the request is queued in CPython (3.12
// and newer) and carried out by whichever thread of the interpreter runs
// Python code next - usually the target itself, within microseconds. The
// target raises KeyboardInterrupt at its next bytecode boundary (a loop's
// back edge or a call), exactly as Ctrl-C would in python, so `except
// Exception` does not swallow it and `finally` blocks run. Once the closure
// has returned, Interrupt does nothing: a later Do on the same goroutine is
// never hit.
//
// What cannot be interrupted: Python code inside one C call that holds the
// GIL (a long re match, 10**10**7) sees the interrupt when that call returns;
// so does code blocked in a call that released the GIL (time.sleep, a socket
// read, lock.acquire); Go code (including the closure's own Go code and
// Py.Detach) is never interrupted. Python code that catches
// KeyboardInterrupt and carries on is not stopped: there is one interrupt
// per closure. Before 3.12, CPython runs pending calls only on its main
// thread, so Interrupt starts a goroutine that attaches to deliver it: the
// caller still never waits, but delivery waits for the GIL.
type Interrupter struct {
	interp *Interpreter
	sub    *C.PyThreadState

	mu           sync.Mutex
	w            *C.gk_window
	closed       bool
	requested    bool
	wasDelivered bool
}

// Interrupter returns the Interrupter of this closure's Python code (the same
// one on every call with this token). It opens the interruptible window on
// first use; the window closes when the closure returns.
func (py *Py) Interrupter() *Interrupter {
	py.checkToken()
	if py.intr == nil {
		py.intr = &Interrupter{interp: py.st.interp, sub: py.ts, w: C.gk_window_open(py.ts)}
		if py.intr.w == nil {
			panic("embed: out of memory opening an interrupt window")
		}
	}
	return py.intr
}

// Interrupt asks for KeyboardInterrupt in the closure's Python code (see
// Interrupter). It reports whether the closure was still running when asked.
func (it *Interrupter) Interrupt() bool {
	it.mu.Lock()
	defer it.mu.Unlock()
	for {
		if it.closed {
			return false
		}
		if it.requested {
			return true
		}
		switch C.gk_window_request(it.w) {
		case C.GK_INTERRUPT_NOT_NEEDED:
			return false
		case C.GK_INTERRUPT_QUEUED:
			it.requested = true
			return true
		case C.GK_INTERRUPT_DELIVER_ATTACHED:
			it.requested = true
			go it.interp.attachedBriefly(func() { C.gk_window_deliver_attached(it.w) })
			return true
		case C.GK_INTERRUPT_QUEUE_FULL:
			// CPython's queue (32 entries on 3.12) is shared by every
			// interrupt and signal; it drains at the next eval-breaker
			// check of any thread. Retry without holding the lock, so
			// that the closure can end meanwhile.
			it.mu.Unlock()
			time.Sleep(100 * time.Microsecond)
			it.mu.Lock()
		}
	}
}

// delivered reports whether the interrupt reached the target thread (for
// tests).
func (it *Interrupter) delivered() bool {
	it.mu.Lock()
	defer it.mu.Unlock()
	if !it.closed {
		it.wasDelivered = C.gk_window_delivered(it.w) != 0
	}
	return it.wasDelivered
}

// close ends the window; called on the closure's goroutine when it returns.
// The C window may be freed by it, so nothing touches it.w afterwards. Its
// error is what a signal handler raised while a leftover interrupt was
// dropped.
func (it *Interrupter) close() error {
	it.mu.Lock()
	it.closed = true
	it.wasDelivered = C.gk_window_delivered(it.w) != 0
	it.mu.Unlock()
	return takeCError(C.gk_window_close(it.w, it.sub))
}

// attachedBriefly runs f attached to the main interpreter on a goroutine of
// its own. It counts as a goroutine inside Do, so Close waits for it (a
// thread that attaches while CPython finalizes is killed, which would take
// the Go runtime with it).
func (in *Interpreter) attachedBriefly(f func()) {
	if !in.enterActive(true) {
		return
	}
	defer in.leaveActive()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if C.gk_enter_main() != C.GK_OK {
		return
	}
	f()
	_ = leave() // gilkit's own short work: no Python code of anyone's ran
}

// ThreadID identifies the OS thread this token is attached on, as
// threading.get_ident() does in Python, for Interpreter.Interrupt.
func (py *Py) ThreadID() uint64 {
	py.check()
	return uint64(C.gk_thread_ident())
}

// Interrupt raises KeyboardInterrupt in the Python code that the main
// interpreter runs on thread id (a [Py.ThreadID], or a Python thread's
// threading.get_ident()), at its next bytecode boundary, as Ctrl-C would.
// Unlike [Interrupter], it targets a thread, not one closure: whatever that
// thread runs when the request is carried out is interrupted.
//
// From CPython 3.12 on it never waits for the GIL: the request is queued and
// carried out by the next thread that runs Python code, and the bool reports
// that it was queued (an id that matches no thread is then ignored). Before
// 3.12 it attaches, waiting for the GIL, and reports whether a thread with
// that id exists.
//
// The thread of a goroutine that is not inside Do runs no Python code:
// Interrupt then does nothing and reports false. A request for a goroutine
// inside Do is for that Do only: if it ends before the request is carried
// out, the request is dropped, and the goroutine's next Do is never hit.
func (in *Interpreter) Interrupt(id uint64) (bool, error) {
	if !in.enterActive(false) {
		return false, ErrClosed
	}
	defer in.leaveActive()
	for {
		switch C.gk_interrupt_ident(C.ulong(id)) {
		case C.GK_INTERRUPT_QUEUED:
			return true, nil
		case C.GK_INTERRUPT_IDLE:
			return false, nil
		case C.GK_INTERRUPT_QUEUE_FULL:
			time.Sleep(100 * time.Microsecond)
			continue
		}
		found := false
		err := in.Do(func(py *Py) error {
			py.check()
			found = C.gk_interrupt_thread(C.ulong(id)) > 0
			return nil
		})
		return found, err
	}
}

// SignalMain simulates the arrival of signal sig for the interpreter's main
// thread (the thread that started CPython), as PyErr_SetInterruptEx does: the
// Python handler of sig runs there at the next bytecode boundary, and
// signal.default_int_handler raises KeyboardInterrupt. It never waits for
// the GIL, and it wakes a main thread sleeping in time.sleep or select.
//
// Nothing happens unless the main thread runs Python code and sig has a
// Python-level handler: gilkit leaves signals to Go, so CPython installs none
// of its own; `signal.signal(signal.SIGINT, signal.default_int_handler)`, run
// on the main thread, installs one. To interrupt code on any other thread,
// use [Interrupter] or [Interpreter.Interrupt].
func (in *Interpreter) SignalMain(sig syscall.Signal) error {
	if !in.enterActive(false) {
		return ErrClosed
	}
	defer in.leaveActive()
	for {
		switch C.gk_signal_main(C.int(sig)) {
		case -1:
			return fmt.Errorf("embed: signal %d is out of range for CPython", int(sig))
		case C.GK_INTERRUPT_QUEUE_FULL:
			time.Sleep(100 * time.Microsecond)
			continue
		case C.GK_INTERRUPT_DELIVER_ATTACHED:
			// Before 3.12 the eval breaker of the main thread trips when
			// another thread asks for the GIL: attach once, briefly.
			go in.attachedBriefly(func() {})
		}
		return nil
	}
}
