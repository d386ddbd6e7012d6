package embed

/*
#include "gilkit.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Py is the proof that the current goroutine is attached to an interpreter.
// It is handed to the closure of [Interpreter.Do] or [Subinterpreter.Do] and
// is valid only inside that closure, on that goroutine: using it afterwards
// panics. Do not pass it to other goroutines.
type Py struct {
	st *interpState
	ts *C.PyThreadState // the subinterpreter's thread state; nil for the main interpreter
	// attached is set once this closure attached its thread. Do attaches
	// lazily, on the first use of the token, so that the first call into
	// Python and the attach share one cgo crossing (see Py.Call).
	attached bool
	done     bool
}

const tokenMisuse = "embed: Py token used outside the Do closure it was given to"

// check panics when the token is used outside its closure (using Python
// from a thread that is not attached would crash CPython; a clear panic is
// the better failure), and attaches on first use.
func (py *Py) check() {
	if py == nil || py.done {
		panic(tokenMisuse)
	}
	if !py.attached {
		py.entered(py.enter())
	}
}

func (py *Py) enter() C.int {
	if py.ts != nil {
		return C.gk_enter_sub(py.ts)
	}
	return C.gk_enter_main()
}

// entered records the result of attaching. Attaching to one interpreter
// inside a closure of another is a programming error, like misusing the
// token, and panics.
func (py *Py) entered(rc C.int) {
	if rc != C.GK_OK {
		panic(ErrOtherInterpreter.Error() + " (Do of one interpreter inside a Do of another)")
	}
	py.attached = true
}

// interpState is what the Go side keeps per interpreter (main or sub).
type interpState struct {
	name string
	// dead is set once the interpreter is finalized or destroyed: queued
	// references are then dropped without touching Python.
	dead atomic.Bool

	// References released by Object.Close or a finalizer while not
	// attached; dropped by the next goroutine that used Python and leaves
	// a Do.
	pendingMu sync.Mutex
	pending   []uintptr
	npending  atomic.Int32
}

func (st *interpState) release(p uintptr) {
	if st.dead.Load() {
		return
	}
	st.pendingMu.Lock()
	st.pending = append(st.pending, p)
	st.npending.Store(int32(len(st.pending)))
	st.pendingMu.Unlock()
}

// drain drops queued references; the caller is attached to st's interpreter.
func (st *interpState) drain() {
	if st.npending.Load() == 0 {
		return
	}
	st.pendingMu.Lock()
	batch := st.pending
	st.pending = nil
	st.npending.Store(0)
	st.pendingMu.Unlock()
	if len(batch) > 0 {
		C.gk_decref_many((*C.uintptr_t)(unsafe.Pointer(&batch[0])), C.int(len(batch)))
	}
}

// Do attaches the calling goroutine to the interpreter, runs fn, and
// detaches. The goroutine is locked to its OS thread meanwhile. Do nests:
// calling Do again inside fn reuses the attachment. fn's error is returned
// as is; a panic in fn detaches first and then propagates. Calling the Do
// of a subinterpreter's token inside another interpreter's Do panics.
//
// The attach itself happens on the first use of the token, folded into the
// first call into Python where possible: a closure that never touches py
// never waits for the GIL.
//
// On a GIL build only one goroutine runs Python at a time; on a
// free-threaded build with the GIL off, goroutines inside Do run Python in
// parallel.
func (in *Interpreter) Do(fn func(py *Py) error) error {
	in.active.Add(1)
	defer in.active.Add(-1)
	if in.closing.Load() {
		return ErrClosed
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return runWithToken(&Py{st: in.main}, fn)
}

// runWithToken runs fn with py and, if fn attached, drops queued references
// and detaches. The caller has locked the goroutine to its thread.
func runWithToken(py *Py, fn func(py *Py) error) error {
	defer func() {
		py.done = true
		if py.attached {
			py.st.drain()
			C.gk_leave()
		}
	}()
	return fn(py)
}

// Detach releases the interpreter while f runs Go code that does not touch
// Python (I/O, waiting, heavy computation), then attaches again. Other
// goroutines and Python threads run meanwhile. f may call Do to attach anew.
func (py *Py) Detach(f func()) {
	if py == nil || py.done {
		panic(tokenMisuse)
	}
	py.done = true // the token must not be used inside f
	if !py.attached {
		defer func() { py.done = false }()
		f()
		return
	}
	saved := C.gk_detach_begin()
	defer func() {
		C.gk_detach_end(saved)
		py.done = false
	}()
	f()
}
