package embed_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/embed/internal/cfloor"
)

// benchFunc defines the Python functions the benchmarks call, in a
// namespace of their own.
func benchFunc(b *testing.B, name string) *embed.Object {
	b.Helper()
	var fn *embed.Object
	do(b, func(py *embed.Py) error {
		ns, err := py.Namespace("bench")
		require.NoError(b, err)
		defer ns.Close()
		require.NoError(b, py.Exec(`
def empty():
    pass

def work():
    # About 10-20 us of pure-Python work: long enough that parallel
    # goroutines are limited by the GIL, not by attaching.
    n = 500
    while n > 0:
        n -= 1
`, embed.Globals(ns)))
		fn, err = py.Eval(name, embed.Globals(ns))
		return err
	})
	return fn
}

func callThroughAPI(b *testing.B, in *embed.Interpreter, fn *embed.Object) {
	err := in.Do(func(py *embed.Py) error {
		r, err := py.Call(fn)
		if err != nil {
			return err
		}
		r.Close()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAttachCall is gilkit's API for one call: Interpreter.Call
// attaches, calls an empty Python function and detaches, from one
// goroutine.
func BenchmarkAttachCall(b *testing.B) {
	in := interp(b)
	fn := benchFunc(b, "empty")
	b.ResetTimer()
	for range b.N {
		r, err := in.Call(fn)
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkAttachCallDo is the same through the general API: Do with a
// closure that calls the function (one cgo crossing more: the detach).
func BenchmarkAttachCallDo(b *testing.B) {
	in := interp(b)
	fn := benchFunc(b, "empty")
	b.ResetTimer()
	for range b.N {
		callThroughAPI(b, in, fn)
	}
}

// BenchmarkAttachCallC is the physical floor for a Go API: the same work in
// one C function reached through one cgo call, with a thread state kept per
// OS thread (package cfloor's, on a thread it holds).
func BenchmarkAttachCallC(b *testing.B) {
	fn, th := emptyFloor(b)
	b.ResetTimer()
	if err := th.CallKeptC(fn, b.N); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCrossing is one cgo call of an empty C function. Do + py.Call
// needs two crossings where BenchmarkAttachCallC needs one, so their gap is
// at least this (docs/embed.md, "What a Do costs").
func BenchmarkCrossing(b *testing.B) {
	cfloor.Crossings(b.N)
}

// BenchmarkDoNothing is a Do whose closure never uses its token: what Do
// itself costs in Go (no attach, no crossing).
func BenchmarkDoNothing(b *testing.B) {
	in := interp(b)
	b.ResetTimer()
	for range b.N {
		if err := in.Do(func(*embed.Py) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// emptyFloorFunc is the empty function of benchFunc, compiled by package
// cfloor for its C floors (it cannot call an *embed.Object), once per
// process.
var emptyFloorFunc = sync.OnceValues(func() (*cfloor.Func, error) {
	return cfloor.Compile("def empty():\n    pass\n", "empty")
})

// emptyFloor returns the empty function for the C floors, and a thread
// Python has no thread state for to run them on, closed when the benchmark
// function returns (untimed).
func emptyFloor(b *testing.B) (*cfloor.Func, *cfloor.Thread) {
	b.Helper()
	interp(b) // CPython runs
	fn, err := emptyFloorFunc()
	require.NoError(b, err)
	th, err := cfloor.NewThread()
	require.NoError(b, err)
	b.Cleanup(th.Close)
	return fn, th
}

// BenchmarkAttachCallGILState is the naive way of earlier Go bindings:
// PyGILState_Ensure / call / PyGILState_Release per call, on a thread
// Python keeps no thread state for, so each call creates and destroys one.
func BenchmarkAttachCallGILState(b *testing.B) {
	fn, th := emptyFloor(b)
	b.ResetTimer()
	if err := th.CallGILState(fn, b.N); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAttachCallWork calls a function doing ~10 us of Python work,
// from one goroutine (serial) and from GOMAXPROCS goroutines at once
// (parallel). ns/op is wall time per call: on a free-threaded build with
// the GIL off, parallel is about serial / cores; with a GIL it is not
// lower than serial.
func BenchmarkAttachCallWork(b *testing.B) {
	in := interp(b)
	fn := benchFunc(b, "work")
	b.Run("serial", func(b *testing.B) {
		for range b.N {
			callThroughAPI(b, in, fn)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				callThroughAPI(b, in, fn)
			}
		})
	})
}
