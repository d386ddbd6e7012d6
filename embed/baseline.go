package embed

/*
#include "gilkit.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// baseline runs the two ways of calling Python from Go that gilkit's API is
// measured against (see BenchmarkAttachCall*). It exists for benchmarks and
// is not meant for programs.
type baseline struct {
	fn *Object
}

// newBaseline prepares the baselines to call fn, a Python callable taking
// no arguments; fn must not be closed while the baseline is used.
func (py *Py) newBaseline(fn *Object) (*baseline, error) {
	if _, err := py.use(fn); err != nil {
		return nil, err
	}
	return &baseline{fn: fn}, nil
}

// CallKeptC makes n calls, each one cgo call into C that attaches the
// thread state this OS thread keeps, calls fn and detaches: the floor for
// any Go API. It must be called outside Do.
func (b *baseline) CallKeptC(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range n {
		C.gk_bench_kept_call(C.uintptr_t(uintptr(unsafe.Pointer(b.fn.ptr))))
	}
	runtime.KeepAlive(b.fn)
}

// CallGILState makes n calls the way earlier Go bindings do:
// PyGILState_Ensure, call, PyGILState_Release, on a thread Python has no
// thread state for (the one this thread kept is deleted first). Each call
// creates and destroys a thread state. It must be called outside Do.
func (b *baseline) CallGILState(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.gk_bench_forget_thread()
	for range n {
		C.gk_bench_gilstate_call(C.uintptr_t(uintptr(unsafe.Pointer(b.fn.ptr))))
	}
	runtime.KeepAlive(b.fn)
}

// Crossings makes n cgo calls of an empty C function: the price of one
// crossing, which a Do pays twice (see BenchmarkCrossing).
func (b *baseline) Crossings(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range n {
		C.gk_bench_nothing()
	}
}
