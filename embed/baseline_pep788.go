package embed

/*
#include "gilkit.h"
*/
import "C"

import "runtime"

// The PEP 788 baselines (CPython 3.15+; no-ops before), beside CallKeptC and
// CallGILState: what attaching through the new API costs, and what a
// finalization guard adds to gilkit's kept thread state.

// CallEnsure makes n calls through PyThreadState_EnsureFromView (a view of
// the main interpreter), call, PyThreadState_Release, on a thread Python
// has no thread state for: like CallGILState, each call creates and
// destroys one. It must be called outside Do.
func (b *baseline) CallEnsure(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.gk_bench_forget_thread()
	for range n {
		C.gk_bench_ensure_call(b.fn.ptr)
	}
	runtime.KeepAlive(b.fn)
}

// CallEnsureKept is CallEnsure on a thread that keeps a thread state
// (gilkit's): PyThreadState_EnsureFromView attaches that one again.
func (b *baseline) CallEnsureKept(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.gk_ensure_thread_state()
	for range n {
		C.gk_bench_ensure_call(b.fn.ptr)
	}
	runtime.KeepAlive(b.fn)
}

// CallGuardedKeptC is CallKeptC under a finalization guard taken and
// closed around each call: what a guard per Do would add to the floor.
func (b *baseline) CallGuardedKeptC(n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range n {
		C.gk_bench_guarded_kept_call(cptr(b.fn.ptr))
	}
	runtime.KeepAlive(b.fn)
}
