package embed_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func TestManyGoroutinesAttachAtOnce(t *testing.T) {
	const goroutines, calls = 32, 50
	var ns *embed.Object
	do(t, func(py *embed.Py) error {
		var err error
		ns, err = py.Namespace("counter")
		if err != nil {
			return err
		}
		return py.Exec("import threading\nlock = threading.Lock()\ncount = 0\ndef bump():\n    global count\n    with lock:\n        count += 1\n", embed.Globals(ns))
	})
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				err := interp(t).Do(func(py *embed.Py) error {
					return py.Exec("bump()", embed.Globals(ns))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	do(t, func(py *embed.Py) error {
		v, err := py.Eval("count", embed.Globals(ns))
		require.NoError(t, err)
		got, err := py.Go(v)
		require.NoError(t, err)
		assert.Equal(t, int64(goroutines*calls), got)
		return nil
	})
}

func TestNestedDoReusesTheAttachment(t *testing.T) {
	in := interp(t)
	do(t, func(outer *embed.Py) error {
		require.NoError(t, outer.Exec("x = 1"))
		err := in.Do(func(inner *embed.Py) error {
			return in.Do(func(innermost *embed.Py) error {
				return innermost.Exec("y = 2")
			})
		})
		require.NoError(t, err)
		// The outer token is still valid after the inner closures ended.
		return outer.Exec("z = 3")
	})
}

// TestDetachLetsOthersRun: goroutine A detaches and waits for goroutine B,
// which must attach to signal it. On a GIL build that deadlocks unless
// Detach really released the GIL.
func TestDetachLetsOthersRun(t *testing.T) {
	in := interp(t)
	signal := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- in.Do(func(py *embed.Py) error {
			var err error
			py.Detach(func() {
				<-signal
				// Attaching again inside Detach works too.
				err = in.Do(func(py *embed.Py) error { return py.Exec("pass") })
			})
			if err != nil {
				return err
			}
			return py.Exec("after_detach = True")
		})
	}()
	require.NoError(t, in.Do(func(py *embed.Py) error {
		if err := py.Exec("import time; time.sleep(0.01)"); err != nil {
			return err
		}
		close(signal)
		return nil
	}))
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("goroutine that detached never finished: Detach did not release the interpreter")
	}
}

func TestTokenIsUselessOutsideItsClosure(t *testing.T) {
	var leaked *embed.Py
	do(t, func(py *embed.Py) error {
		leaked = py
		return nil
	})
	msg := "embed: Py token used outside the Do closure it was given to"
	assert.PanicsWithValue(t, msg, func() { _ = leaked.Exec("pass") })
	assert.PanicsWithValue(t, msg, func() { _, _ = leaked.Eval("1") })
	do(t, func(py *embed.Py) error {
		py.Detach(func() {
			assert.PanicsWithValue(t, "embed: Py token used inside Py.Detach, where its thread is detached (call in.Do inside Detach for a token of its own)",
				func() { _ = py.Exec("pass") }, "token inside its own Detach")
		})
		return py.Exec("pass")
	})
}

func TestPanicInsideDoDetachesFirst(t *testing.T) {
	in := interp(t)
	assert.PanicsWithValue(t, "boom", func() {
		_ = in.Do(func(py *embed.Py) error { panic("boom") })
	})
	// The interpreter is not left held: another goroutine can attach.
	done := make(chan error, 1)
	go func() { done <- in.Do(func(py *embed.Py) error { return py.Exec("pass") }) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("interpreter still held after a panic in Do")
	}
}

func TestErrorFromClosureIsReturnedAsIs(t *testing.T) {
	want := errors.New("mine")
	assert.Same(t, want, interp(t).Do(func(*embed.Py) error { return want }))
}

// TestPyGILStateEnsureInsideDo: C extensions call PyGILState_Ensure on the
// thread that called them; it must find gilkit's thread state, not create a
// second one (which would deadlock on a GIL build).
func TestPyGILStateEnsureInsideDo(t *testing.T) {
	do(t, func(py *embed.Py) error {
		return py.Exec(`
import ctypes
api = ctypes.pythonapi
api.PyGILState_Ensure.restype = ctypes.c_int
api.PyGILState_Check.restype = ctypes.c_int
state = api.PyGILState_Ensure()
assert api.PyGILState_Check() == 1
api.PyGILState_Release(state)
`)
	})
}

func TestGoroutinesThatNeverAttachedCanAttach(t *testing.T) {
	// Fresh goroutines land on OS threads gilkit may not have seen yet.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, interp(t).Do(func(py *embed.Py) error { return py.Exec("pass") }))
		}()
	}
	wg.Wait()
}
