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
	st   *interpState
	done bool
}

// check panics when the token is used outside its closure. Using Python
// from a thread that is not attached would crash CPython; a clear panic is
// the better failure.
func (py *Py) check() {
	if py == nil || py.done {
		panic("embed: Py token used outside the Do closure it was given to")
	}
}

// interpState is what the Go side keeps per interpreter (main or sub).
type interpState struct {
	name string
	// dead is set once the interpreter is finalized or destroyed: queued
	// references are then dropped without touching Python.
	dead atomic.Bool

	// References released by Object.Close or a finalizer while not
	// attached; dropped by the next goroutine that leaves a Do.
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
// as is; a panic in fn detaches first and then propagates.
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
	if C.gk_enter_main() != C.GK_OK {
		return ErrOtherInterpreter
	}
	return runAttached(in.main, fn)
}

// runAttached runs fn with a fresh token on an attached thread and leaves.
func runAttached(st *interpState, fn func(py *Py) error) error {
	py := &Py{st: st}
	defer func() {
		py.done = true
		st.drain()
		C.gk_leave()
	}()
	return fn(py)
}

// Detach releases the interpreter while f runs Go code that does not touch
// Python (I/O, waiting, heavy computation), then attaches again. Other
// goroutines and Python threads run meanwhile. f may call Do to attach anew.
func (py *Py) Detach(f func()) {
	py.check()
	py.done = true // the token must not be used inside f
	saved := C.gk_detach_begin()
	defer func() {
		C.gk_detach_end(saved)
		py.done = false
	}()
	f()
}
