package embed_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// generous bounds every wait of these tests: long enough for a loaded
// machine, short enough that a broken interrupt fails instead of hanging.
const generous = 20 * time.Second

// spinSrc defines spin(): CPU-bound Python that runs until interrupted, or
// gives up after 20 s and returns "not interrupted" (so that a broken
// interrupt fails the test instead of holding the GIL for ever).
const spinSrc = `
import time
def spin(seconds=20.0):
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
    return "not interrupted"
`

// spinFunc returns spin() of a fresh namespace.
func spinFunc(t *testing.T) *embed.Object {
	t.Helper()
	var fn *embed.Object
	do(t, func(py *embed.Py) error {
		ns, err := py.Namespace("spin")
		if err != nil {
			return err
		}
		defer ns.Close()
		if err := py.Exec(spinSrc, embed.Globals(ns)); err != nil {
			return err
		}
		fn, err = py.Eval("spin", embed.Globals(ns))
		return err
	})
	t.Cleanup(fn.Close)
	return fn
}

// waitFor waits for ch with a bound, failing the test (on the test's own
// goroutine) when it does not come.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(generous):
		t.Fatalf("%s did not happen within %v", what, generous)
		panic("unreachable")
	}
}

func requireInterrupted(t *testing.T, err error, ctxErr error) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, ctxErr)
	var pyErr *embed.PyError
	require.ErrorAs(t, err, &pyErr, "the Python exception is kept: %v", err)
	assert.Equal(t, "KeyboardInterrupt", pyErr.Type)
	assert.Contains(t, pyErr.Traceback, "in spin")
}

func TestDoContextInterruptsCPUBoundPython(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	cases := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, context.DeadlineExceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			started := make(chan struct{})
			done := make(chan error, 1)
			go func() {
				done <- in.DoContext(ctx, func(py *embed.Py) error {
					close(started)
					_, err := py.Call(spin)
					return err
				})
			}()
			waitFor(t, started, "the closure start")
			if tc.want == context.Canceled {
				time.Sleep(20 * time.Millisecond) // let it get into the loop
				cancel()
			}
			requireInterrupted(t, waitFor(t, done, "DoContext returning after cancel"), tc.want)

			// The interpreter is usable, from this goroutine and others.
			r, err := in.Call(spin, 0.01)
			require.NoError(t, err)
			assert.Equal(t, "not interrupted", goValue(t, r))
		})
	}
}

func TestCallContext(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	r, err := in.CallContext(ctx, spin)
	assert.Nil(t, r)
	requireInterrupted(t, err, context.DeadlineExceeded)

	r, err = in.CallContext(context.Background(), spin, 0.001)
	require.NoError(t, err)
	assert.Equal(t, "not interrupted", goValue(t, r))
}

func TestDoContextWithAnEndedContextDoesNotRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := interp(t).DoContext(ctx, func(*embed.Py) error { ran = true; return nil })
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, ran)
}

// TestInterruptDoesNotOutliveItsClosure: an interrupt asked for while the
// closure runs no bytecode must not hit the next, unrelated closure on the
// same thread - neither when it reached the thread and was never raised
// (here: delivered inside Py.Detach by another goroutine that ran Python and
// so carried the request out), nor when it was still queued in CPython when
// the closure returned (on free-threaded builds only threads that existed
// when it was queued pick it up, so the helper may not manage to deliver
// it; the target itself then finds it when it next runs bytecode).
func TestInterruptDoesNotOutliveItsClosure(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	const attempts = 20
	type outcome struct {
		delivered int
		err       error
	}
	res := make(chan outcome, 1)
	go func() {
		var o outcome
		o.err = func() error {
			for attempt := range attempts {
				delivered := false
				err := in.Do(func(py *embed.Py) error {
					if err := py.Exec("pass"); err != nil { // attach
						return err
					}
					intr := py.Interrupter()
					py.Detach(func() {
						intr.Interrupt()
						helped := make(chan struct{})
						go func() {
							defer close(helped)
							deadline := time.Now().Add(time.Second)
							for !intr.Delivered() && time.Now().Before(deadline) {
								_, _ = in.Call(spin, 0.001)
							}
						}()
						<-helped
					})
					delivered = intr.Delivered()
					return nil // return without running any more bytecode
				})
				if err != nil {
					return fmt.Errorf("attempt %d: the closure that was interrupted: %w", attempt, err)
				}
				if delivered {
					o.delivered++
				}
				// Same goroutine, same thread: this must run to its end.
				err = in.Do(func(py *embed.Py) error {
					r, err := py.Call(spin, 0.002)
					if err != nil {
						return err
					}
					if v, _ := py.Go(r); v != "not interrupted" {
						return fmt.Errorf("spin returned %v", v)
					}
					return nil
				})
				if err != nil {
					return fmt.Errorf("attempt %d (delivered: %v): an interrupt leaked into the next closure: %w", attempt, delivered, err)
				}
			}
			return nil
		}()
		res <- o
	}()
	o := waitFor(t, res, "the interrupt-leak check")
	require.NoError(t, o.err)
	assert.Positive(t, o.delivered, "no attempt delivered the interrupt while the closure was detached, so the leftover path went untested")
	t.Logf("%d of %d interrupts reached the detached thread before its closure returned", o.delivered, attempts)
}

func TestInterrupterAfterTheClosureDoesNothing(t *testing.T) {
	var intr *embed.Interrupter
	do(t, func(py *embed.Py) error {
		intr = py.Interrupter()
		return nil
	})
	assert.False(t, intr.Interrupt(), "the closure has returned")
	do(t, func(py *embed.Py) error {
		_, err := py.Call(spinFunc(t), 0.01)
		return err
	})
}

// TestNestedContextsInterruptTheRightCode: cancelling the outer context
// interrupts the Python code of an inner closure too (it is part of the
// outer work); cancelling an inner context after the inner closure returned
// leaves the outer code alone.
func TestNestedContextsInterruptTheRightCode(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	outer, cancelOuter := context.WithCancel(context.Background())
	defer cancelOuter()
	inner, cancelInner := context.WithCancel(context.Background())
	defer cancelInner()
	type result struct{ innerErr, afterErr, outerErr error }
	done := make(chan result, 1)
	started := make(chan struct{})
	go func() {
		var res result
		res.outerErr = in.DoContext(outer, func(py *embed.Py) error {
			res.innerErr = in.DoContext(inner, func(py *embed.Py) error {
				_, err := py.Call(spin, 0.01)
				return err
			})
			cancelInner() // after the inner closure: must not touch what follows
			_, res.afterErr = py.Call(spin, 0.05)
			return in.DoContext(context.Background(), func(py *embed.Py) error {
				close(started)
				_, err := py.Call(spin)
				return err
			})
		})
		done <- res
	}()
	waitFor(t, started, "the innermost closure")
	time.Sleep(10 * time.Millisecond)
	cancelOuter()
	res := waitFor(t, done, "the outer DoContext")
	assert.NoError(t, res.innerErr)
	assert.NoError(t, res.afterErr, "cancelling a finished inner context interrupted the outer code")
	requireInterrupted(t, res.outerErr, context.Canceled)
}

// TestCancellingNeverWaitsForTheGIL: Python code inside one long C call
// holds the GIL (on GIL builds) and runs no bytecode. Cancelling must return
// at once anyway, Go keeps running, and the call ends with the cancellation
// as soon as the C call returns; on a free-threaded build other goroutines
// even keep running Python meanwhile.
func TestCancellingNeverWaitsForTheGIL(t *testing.T) {
	in := interp(t)
	var cCall *embed.Object
	do(t, func(py *embed.Py) error {
		ns, err := py.Namespace("ccall")
		if err != nil {
			return err
		}
		defer ns.Close()
		// sum() over a range is one C loop: no eval-breaker check until it
		// returns (about half a second here). The assignment after it is the
		// first bytecode boundary.
		if err := py.Exec("def long_c_call(n):\n    total = sum(range(n))\n    return total\n", embed.Globals(ns)); err != nil {
			return err
		}
		cCall, err = py.Eval("long_c_call", embed.Globals(ns))
		return err
	})
	defer cCall.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inCall := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- in.DoContext(ctx, func(py *embed.Py) error {
			close(inCall)
			_, err := py.Call(cCall, 60_000_000)
			return err
		})
	}()
	waitFor(t, inCall, "the C call to start")
	time.Sleep(20 * time.Millisecond)

	cancelled := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		cancel()
		cancelled <- time.Since(start)
	}()
	took := waitFor(t, cancelled, "cancel() to return while a C call holds the GIL")
	assert.Less(t, took, 2*time.Second, "cancel() waited (for the GIL?)")

	if embed.FreeThreaded() {
		info, err := in.Info() // attaches: must not wait for the C call
		require.NoError(t, err)
		if !info.GILEnabled {
			r, err := in.Call(spinFunc(t), 0.001)
			require.NoError(t, err)
			assert.Equal(t, "not interrupted", goValue(t, r))
		}
	}
	err := waitFor(t, done, "the interrupted C call to return")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var pyErr *embed.PyError
	require.ErrorAs(t, err, &pyErr)
	assert.Equal(t, "KeyboardInterrupt", pyErr.Type)
}

// TestManyGoroutinesCancelAtOnce fills CPython's pending-call queue (32
// entries on 3.12) so the retry path is taken, and checks that every
// goroutine's call is interrupted, and only its own.
func TestManyGoroutinesCancelAtOnce(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	const n = 64
	var started, wg sync.WaitGroup
	started.Add(n)
	errs := make([]error, n)
	cancels := make([]context.CancelFunc, n)
	for i := range n {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[i] = cancel
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = in.DoContext(ctx, func(py *embed.Py) error {
				started.Done()
				_, err := py.Call(spin)
				return err
			})
		}()
	}
	allStarted := make(chan struct{})
	go func() { started.Wait(); close(allStarted) }()
	waitFor(t, allStarted, "all goroutines to start")
	for _, cancel := range cancels {
		cancel()
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	waitFor(t, allDone, "every cancelled call to return")
	for i, err := range errs {
		assert.ErrorIs(t, err, context.Canceled, "goroutine %d", i)
	}
}

// TestInterruptAPythonThread: Interpreter.Interrupt reaches a thread started
// by Python's threading, which gilkit never attached, without waiting for
// the GIL that thread holds.
func TestInterruptAPythonThread(t *testing.T) {
	in := interp(t)
	var ns *embed.Object
	var ident uint64
	do(t, func(py *embed.Py) error {
		var err error
		if ns, err = py.Namespace("pythread"); err != nil {
			return err
		}
		if err := py.Exec(spinSrc+`
import threading
result = []
ready = threading.Event()
def body():
    ready.set()
    try:
        result.append(spin())
    except KeyboardInterrupt:
        result.append("interrupted")
worker = threading.Thread(target=body, daemon=True)
worker.start()
ready.wait()
`, embed.Globals(ns)); err != nil {
			return err
		}
		v := evalGo(t, py, "worker.ident", embed.Globals(ns))
		ident = uint64(v.(int64))
		return nil
	})
	defer ns.Close()
	ok, err := in.Interrupt(ident)
	require.NoError(t, err)
	assert.True(t, ok)
	got := make(chan any, 1)
	go func() {
		_ = in.Do(func(py *embed.Py) error {
			return py.Exec("worker.join(20)", embed.Globals(ns))
		})
		_ = in.Do(func(py *embed.Py) error {
			o, err := py.Eval("result", embed.Globals(ns))
			if err == nil {
				v, _ := py.Go(o)
				got <- v
			}
			return err
		})
		close(got)
	}()
	assert.Equal(t, []any{"interrupted"}, waitFor(t, got, "the Python thread to stop"))
}

func TestSubinterpreterDoContext(t *testing.T) {
	in := interp(t)
	sub, err := in.NewSubinterpreter()
	if !supportsOwnGIL(t) {
		require.Error(t, err)
		return
	}
	require.NoError(t, err)
	defer sub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- sub.DoContext(ctx, func(py *embed.Py) error {
			ns, err := py.Namespace("sub")
			if err != nil {
				return err
			}
			defer ns.Close()
			if err := py.Exec(spinSrc, embed.Globals(ns)); err != nil {
				return err
			}
			_, err = py.Eval("spin()", embed.Globals(ns))
			return err
		})
	}()
	err = waitFor(t, done, "the subinterpreter's DoContext")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var pyErr *embed.PyError
	require.ErrorAs(t, err, &pyErr)
	assert.Equal(t, "KeyboardInterrupt", pyErr.Type)
	require.NoError(t, sub.Do(func(py *embed.Py) error { return py.Exec("pass") }), "still usable")
}

func goValue(t *testing.T, o *embed.Object) any {
	t.Helper()
	var v any
	do(t, func(py *embed.Py) error {
		var err error
		v, err = py.Go(o)
		return err
	})
	o.Close()
	return v
}
