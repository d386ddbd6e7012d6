// Package cfloor holds the C floors that package embed's benchmarks compare
// gilkit's API against: the same call of a Python function made in C, one
// cgo call each, with a thread state kept per OS thread (the least any Go
// API can cost), with PyGILState_Ensure/Release per call (what earlier Go
// bindings do), through PEP 788's PyThreadState_EnsureFromView (CPython
// 3.15+), and an empty cgo call.
//
// It is for embed's benchmarks and tests only, not for programs: it calls
// CPython's C API itself, on the interpreter that embed.Start initialized,
// beside embed and without its bookkeeping (no interrupts, no fence, no
// finalization rules: use it only while the interpreter runs, before
// Interpreter.Close). It does not import embed, and embed does not import
// it.
//
// cfloor never touches a thread state of embed's. The floors that need a
// thread run on a [Thread]: an OS thread that Python had no thread state for
// when cfloor took it, which cfloor holds until [Thread.Close] and gives
// back as it found it.
package cfloor

/*
#cgo pkg-config: python3-embed
#cgo CFLAGS: -O2 -Wall
#cgo LDFLAGS: -lpthread
#include <stdlib.h>
#include "cfloor.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// HasPEP788 reports whether the linked CPython has PEP 788's
// PyThreadState_EnsureFromView and finalization guards (3.15+), which
// [Thread.CallEnsure], [Thread.CallEnsureKept] and [Thread.CallGuardedKeptC]
// need.
var HasPEP788 = C.cf_have_pep788() != 0

// ErrNoPEP788 is what the PEP 788 floors return before CPython 3.15.
var ErrNoPEP788 = errors.New("cfloor: PEP 788 (PyThreadState_EnsureFromView, finalization guards) needs CPython 3.15 or newer")

var errNotRunning = errors.New("cfloor: CPython is not initialized (start it with embed.Start first)")

// Func is a Python callable without arguments that the floors call. It
// lives as long as the process.
type Func struct {
	fn C.uintptr_t // a PyObject*, passed as an integer: cgo checks pointer arguments for Go pointers, per call
}

// Compile runs src, Python source, in a namespace of its own in CPython's
// main interpreter and returns the callable src binds to name. It attaches
// with PyGILState_Ensure on the calling thread, so it must be called
// outside embed's Do.
func Compile(src, name string) (*Func, error) {
	if C.cf_running() == 0 {
		return nil, errNotRunning
	}
	csrc, cname := C.CString(src), C.CString(name)
	defer C.free(unsafe.Pointer(csrc))
	defer C.free(unsafe.Pointer(cname))
	var cerr *C.char
	runtime.LockOSThread()
	fn := C.cf_compile(csrc, cname, &cerr)
	runtime.UnlockOSThread()
	if fn == 0 {
		defer C.free(unsafe.Pointer(cerr))
		return nil, fmt.Errorf("cfloor: compiling %s: %s", name, C.GoString(cerr))
	}
	return &Func{fn: fn}, nil
}

// Crossings makes n cgo calls of an empty C function, from the calling
// goroutine locked to its thread: the price of one crossing.
func Crossings(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range n {
		C.cf_nothing()
	}
}

// maxProbes bounds how many of Go's threads NewThread looks at. Go keeps
// idle threads for ever, and each one that ran embed's Do has a thread
// state; past those, the next thread Go hands out is a new one.
const maxProbes = 4096

// Thread is a goroutine locked to an OS thread that Python had no thread
// state for when [NewThread] found it. The floors that need a thread run
// their loop on it, one cgo call per Python call, while the caller waits.
// The thread state cfloor keeps for the thread (created by the first kept
// call) is deleted by Close, so embed can never adopt it as the thread
// state of a thread it did not create. Its methods may be called from any
// goroutine, even at once (they run one after another on the thread), but
// not after Close.
type Thread struct {
	work   chan func()
	exited chan struct{}
	close  sync.Once
}

// NewThread finds an OS thread that Python has no thread state for
// (PyGILState_GetThisThreadState is NULL): it locks a new goroutine to the
// thread Go runs it on, and keeps each thread it rejects locked, parked
// until one is found, so that Go must hand out another. Close it when done.
func NewThread() (*Thread, error) {
	if C.cf_running() == 0 {
		return nil, errNotRunning
	}
	var parked []chan struct{}
	defer func() {
		for _, release := range parked {
			close(release)
		}
	}()
	for range maxProbes {
		t := &Thread{work: make(chan func()), exited: make(chan struct{})}
		unseen := make(chan bool)
		release := make(chan struct{})
		go t.probe(unseen, release)
		if <-unseen {
			return t, nil
		}
		parked = append(parked, release)
	}
	return nil, fmt.Errorf("cfloor: each of %d OS threads has a Python thread state", maxProbes)
}

// probe runs on the goroutine of a Thread: it tells unseen whether its OS
// thread has no Python thread state, and then either runs the thread's work
// or waits for release.
func (t *Thread) probe(unseen chan<- bool, release <-chan struct{}) {
	runtime.LockOSThread()
	if C.cf_seen() != 0 {
		unseen <- false
		<-release
		runtime.UnlockOSThread()
		return
	}
	unseen <- true
	for fn := range t.work {
		fn()
	}
	C.cf_forget()
	if C.cf_seen() == 0 {
		runtime.UnlockOSThread()
	} // else a thread state that is not cfloor's appeared: the goroutine ends locked, and Go ends the thread with it
	close(t.exited)
}

// run runs fn on t's thread and waits for it.
func (t *Thread) run(fn func()) {
	done := make(chan struct{})
	t.work <- func() {
		defer close(done)
		fn()
	}
	<-done
}

// Close deletes the thread state cfloor keeps for t's thread, if any, and
// gives the thread back to Go. It waits for that; a second Close does
// nothing.
func (t *Thread) Close() {
	t.close.Do(func() {
		close(t.work)
		<-t.exited
	})
}

// CallKeptC makes n calls of f on t, each one cgo call into C that attaches
// the thread state cfloor keeps for t's thread, calls f and detaches: the
// floor for any Go API. The thread state is created before the first call.
func (t *Thread) CallKeptC(f *Func, n int) error {
	return t.kept("kept-thread-state call", n, func() (failed int) {
		fn := f.fn
		for range n {
			if C.cf_kept_call(fn) != 0 {
				failed++
			}
		}
		return failed
	})
}

// CallGILState makes n calls of f on t the way earlier Go bindings do:
// PyGILState_Ensure, call, PyGILState_Release, on a thread Python has no
// thread state for (the one cfloor kept for t, if any, is deleted first).
// Each call creates and destroys a thread state.
func (t *Thread) CallGILState(f *Func, n int) error {
	return t.unseen("PyGILState_Ensure call", n, func() (failed int) {
		fn := f.fn
		for range n {
			if C.cf_gilstate_call(fn) != 0 {
				failed++
			}
		}
		return failed
	})
}

// CallEnsure makes n calls of f on t through PyThreadState_EnsureFromView
// (a view of the main interpreter), call, PyThreadState_Release, on a
// thread Python has no thread state for: like CallGILState, each call
// creates and destroys one. It returns ErrNoPEP788 before CPython 3.15.
func (t *Thread) CallEnsure(f *Func, n int) error {
	if !HasPEP788 {
		return ErrNoPEP788
	}
	return t.unseen("PyThreadState_EnsureFromView call", n, func() (failed int) {
		fn := f.fn
		for range n {
			if C.cf_ensure_call(fn) != 0 {
				failed++
			}
		}
		return failed
	})
}

// CallEnsureKept is CallEnsure on a thread that keeps a thread state
// (cfloor's, created first if need be): PyThreadState_EnsureFromView
// attaches that one again, under a guard it takes through the view. It
// returns ErrNoPEP788 before CPython 3.15.
func (t *Thread) CallEnsureKept(f *Func, n int) error {
	if !HasPEP788 {
		return ErrNoPEP788
	}
	return t.kept("PyThreadState_EnsureFromView call", n, func() (failed int) {
		fn := f.fn
		for range n {
			if C.cf_ensure_call(fn) != 0 {
				failed++
			}
		}
		return failed
	})
}

// CallGuardedKeptC is CallKeptC under a finalization guard of the main
// interpreter taken before and closed after each call: what a guard per
// Do would add to the floor. It returns ErrNoPEP788 before CPython 3.15.
func (t *Thread) CallGuardedKeptC(f *Func, n int) error {
	if !HasPEP788 {
		return ErrNoPEP788
	}
	return t.kept("guarded kept-thread-state call", n, func() (failed int) {
		fn := f.fn
		for range n {
			if C.cf_guarded_kept_call(fn) != 0 {
				failed++
			}
		}
		return failed
	})
}

// kept runs loop on t's thread once the thread state cfloor keeps for it
// exists; loop returns how many of its n calls failed. (Each Call method
// writes its loop out around its own C function: calling that through a
// func value would add an indirect call to every call of the floor.)
func (t *Thread) kept(what string, n int, loop func() int) error {
	failed := 0
	t.run(func() {
		if C.cf_keep() != 0 {
			failed = n
			return
		}
		failed = loop()
	})
	return callErr(what, failed, n)
}

// unseen runs loop on t's thread once the thread state cfloor keeps for it,
// if any, is deleted, and only if Python then has none for the thread.
func (t *Thread) unseen(what string, n int, loop func() int) error {
	failed, seen := 0, false
	t.run(func() {
		C.cf_forget()
		if seen = C.cf_seen() != 0; !seen {
			failed = loop()
		}
	})
	if seen {
		return errors.New("cfloor: the thread has a Python thread state that is not cfloor's")
	}
	return callErr(what, failed, n)
}

func callErr(what string, failed, n int) error {
	if failed == 0 {
		return nil
	}
	return fmt.Errorf("cfloor: %d of %d calls failed (%s: the function raised, or the thread could not attach)", failed, n, what)
}
