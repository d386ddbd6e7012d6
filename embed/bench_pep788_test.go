package embed_test

import (
	"testing"

	"github.com/gilkit/gilkit/embed/internal/cfloor"
)

// PEP 788 (CPython 3.15) beside BenchmarkAttachCallC (a kept thread state,
// the floor) and BenchmarkAttachCallGILState: the new way for a
// thread Python did not create to attach, and what a finalization guard
// per call would add to the floor. They skip before 3.15.

func skipWithoutPEP788(b *testing.B) {
	if !cfloor.HasPEP788 {
		b.Skip("PEP 788 (PyThreadState_Ensure, finalization guards) needs CPython 3.15 or newer")
	}
}

// BenchmarkAttachCallEnsure: PyThreadState_EnsureFromView, call,
// PyThreadState_Release, on a thread without a thread state: each call
// creates and destroys one, as PyGILState_Ensure does.
func BenchmarkAttachCallEnsure(b *testing.B) {
	skipWithoutPEP788(b)
	fn, th := emptyFloor(b)
	b.ResetTimer()
	if err := th.CallEnsure(fn, b.N); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAttachCallEnsureKept: the same on a thread that keeps a thread
// state (cfloor's), which PyThreadState_EnsureFromView attaches again
// (under a guard it takes through the view).
func BenchmarkAttachCallEnsureKept(b *testing.B) {
	skipWithoutPEP788(b)
	fn, th := emptyFloor(b)
	b.ResetTimer()
	if err := th.CallEnsureKept(fn, b.N); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAttachCallGuardedC: BenchmarkAttachCallC with a finalization
// guard taken before and closed after each call: the price of guarding
// every Do (gilkit guards only under Command.Run; see guard.c).
func BenchmarkAttachCallGuardedC(b *testing.B) {
	skipWithoutPEP788(b)
	fn, th := emptyFloor(b)
	b.ResetTimer()
	if err := th.CallGuardedKeptC(fn, b.N); err != nil {
		b.Fatal(err)
	}
}
