package embed_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// cancelFromPython is called by t_cancel: Python code ends the context of
// the DoContext that runs it.
var cancelFromPython atomic.Pointer[context.CancelFunc]

var interruptFuncs = sync.OnceValue(func() error {
	in, err := embed.Default()
	if err != nil {
		return err
	}
	return in.Register(embed.Func{Name: "t_cancel", HoldGIL: true, Fn: func(*embed.Interpreter, []any) (any, error) {
		if c := cancelFromPython.Load(); c != nil {
			(*c)()
		}
		return nil, nil
	}})
})

// slowStrSrc's exception cancels the closure's context inside its
// __str__ on call number `when` and spins there until interrupted: the
// interrupt arrives while gilkit formats the error (str() of it first,
// then the traceback module, which calls str() again).
const slowStrSrc = `
import time, gilkit
class Slow(Exception):
    calls = 0
    def __str__(self):
        Slow.calls += 1
        if Slow.calls == WHEN:
            gilkit.t_cancel()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass
        return "slow"
def fail():
    raise Slow()
`

// An interrupt that arrives while gilkit formats an exception (str() of
// it, the traceback module) is not lost: the closure's next Python code
// raises it, so the rest of a DoContext can still be cancelled.
func TestInterruptDuringErrorFormattingIsNotLost(t *testing.T) {
	require.NoError(t, interruptFuncs())
	spin := spinFunc(t)
	for _, tc := range []struct {
		name string
		when int
	}{{"str() of the exception", 1}, {"formatting its traceback", 2}} {
		t.Run(tc.name, func(t *testing.T) {
			var ns *embed.Object
			do(t, func(py *embed.Py) error {
				var err error
				ns, err = py.Namespace("slow")
				require.NoError(t, err)
				return py.Exec(fmt.Sprintf("WHEN = %d\n%s", tc.when, slowStrSrc), embed.Globals(ns))
			})
			defer ns.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cancelFromPython.Store(&cancel)
			defer cancelFromPython.Store(nil)
			start := time.Now()
			err := interp(t).DoContext(ctx, func(py *embed.Py) error {
				err := py.Exec("fail()", embed.Globals(ns))
				var pyErr *embed.PyError
				require.ErrorAs(t, err, &pyErr)
				assert.Equal(t, "Slow", pyErr.Type[len(pyErr.Type)-4:])
				r, err := py.Call(spin, 10.0)
				if err == nil {
					r.Close()
				}
				return err
			})
			requireInterrupted(t, err, context.Canceled)
			assert.Less(t, time.Since(start), 8*time.Second, "the spin after the error ran on: the interrupt was lost")
		})
	}
}

// injectSrc defines a trace function that raises KeyboardInterrupt, as an
// interrupt would, at the n-th line of code that is not the user's
// ("<gilkit>"): inside gilkit's own Python code around the user's.
const injectSrc = `
import sys, threading
class Inject:
    def __init__(self, n):
        self.n, self.seen, self.fired = n, 0, False
    def __call__(self, frame, event, arg):
        if self.fired or frame.f_code.co_filename == "<gilkit>":
            return None
        if event in ("call", "line"):
            self.seen += 1
            if self.seen == self.n:
                self.fired = True
                raise KeyboardInterrupt("injected")
        return self
def arm(n):
    global inject
    inject = Inject(n)
    sys.settrace(inject)
def disarm():
    sys.settrace(None)
    return inject.fired
def orphans():
    me = threading.get_ident()
    out = []
    for name in ("stdout", "stderr"):
        r = getattr(sys, name)
        if getattr(type(r), "_gilkit_router", False) and r._bufs.get(me):
            out.append(name)
    mine = sys.modules["_gilkit_capture"]._mine
    out += [k[0] + " (begin/end record)" for k in mine if k[1] == me]
    return out
`

// An interrupt at any point of capturing output (Stdout, Stderr) leaves
// no buffer behind that would swallow the thread's later output, and the
// run reports it as the KeyboardInterrupt it is.
func TestInterruptWhileCapturingLeavesNoOrphanBuffer(t *testing.T) {
	var ns *embed.Object
	do(t, func(py *embed.Py) error {
		var err error
		ns, err = py.Namespace("inject")
		require.NoError(t, err)
		return py.Exec(injectSrc, embed.Globals(ns))
	})
	defer ns.Close()
	for n := 1; n < 200; n++ {
		fired := false
		do(t, func(py *embed.Py) error {
			require.NoError(t, py.Exec(fmt.Sprintf("arm(%d)", n), embed.Globals(ns)))
			var out, errOut bytes.Buffer
			runErr := py.Exec("print('x')", embed.Stdout(&out), embed.Stderr(&errOut))
			fired = evalGo(t, py, "disarm()", embed.Globals(ns)).(bool)
			if fired {
				var pyErr *embed.PyError
				require.ErrorAs(t, runErr, &pyErr, "injection %d", n)
				assert.Equal(t, "KeyboardInterrupt", pyErr.Type, "injection %d", n)
			} else {
				require.NoError(t, runErr)
				assert.Equal(t, "x\n", out.String())
			}
			assert.Empty(t, evalGo(t, py, "orphans()", embed.Globals(ns)), "after an interrupt at line %d of the capture code", n)
			// Later output on this thread is captured normally.
			var later bytes.Buffer
			require.NoError(t, py.Exec("print('later')", embed.Stdout(&later)))
			assert.Equal(t, "later\n", later.String(), "after an interrupt at line %d of the capture code", n)
			return nil
		})
		if !fired {
			return // the capture code has fewer lines than n: all were tried
		}
	}
	t.Fatal("the capture code never ran to its end")
}

// Interpreter.Interrupt aimed at the thread of a goroutine that is not
// inside Do does nothing, and one asked for while the goroutine was inside
// Do but carried out after that Do ended is dropped: neither may fire in the
// thread's next, unrelated Do.
func TestInterruptAtAnIdleThreadIsDropped(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	errs := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // every Do of this goroutine runs on this thread
		defer runtime.UnlockOSThread()
		errs <- func() error {
			var id uint64
			if err := in.Do(func(py *embed.Py) error { id = py.ThreadID(); return nil }); err != nil {
				return err
			}
			if ok, err := in.Interrupt(id); err != nil || ok {
				return fmt.Errorf("Interrupt of an idle thread: %v %v, want false", ok, err)
			}
			// Asked for inside a Do that then ends before any thread runs
			// Python code to carry it out.
			var ok bool
			if err := in.Do(func(py *embed.Py) error {
				if err := py.Exec("pass"); err != nil {
					return err
				}
				py.Detach(func() { ok, _ = in.Interrupt(id) })
				return nil
			}); err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("Interrupt of a thread inside Do was not queued")
			}
			// Another thread runs Python, and so carries the request out.
			done := make(chan error, 1)
			go func() { done <- in.Do(func(py *embed.Py) error { return callAndClose(py.Call(spin, 0.05)) }) }()
			if err := <-done; err != nil {
				return fmt.Errorf("the helper: %w", err)
			}
			return in.Do(func(py *embed.Py) error {
				r, err := py.Call(spin, 0.05)
				if err != nil {
					return fmt.Errorf("the idle thread's next Do was interrupted: %w", err)
				}
				r.Close()
				return nil
			})
		}()
	}()
	require.NoError(t, waitFor(t, errs, "the idle-thread check"))
}

// A signal handler that raises while gilkit drops an interrupt left over
// at the end of a closure (on Python's main thread, where handlers run) is
// not lost: the closure's Do returns its exception. The handler here is
// signal.default_int_handler, SIGINT's in python: a Ctrl-C at the end of a
// closure whose interrupt was still pending. (A handler written in Python
// would itself be interrupted by the pending interrupt at its first
// bytecode, as in python.)
func TestSignalHandlerExceptionAtTheEndOfAClosureIsKept(t *testing.T) {
	in := interp(t)
	spin := spinFunc(t)
	var delivered bool
	err := in.DoMain(func(py *embed.Py) error {
		require.NoError(t, py.Exec("import signal\nsignal.signal(signal.SIGUSR1, signal.default_int_handler)"))
		intr := py.Interrupter()
		py.Detach(func() {
			intr.Interrupt()
			// Another thread runs Python and so delivers the interrupt to
			// this (detached) one, where it waits to be raised.
			helped := make(chan struct{})
			go func() {
				defer close(helped)
				deadline := time.Now().Add(generous)
				for !intr.Delivered() && time.Now().Before(deadline) {
					_, _ = in.Call(spin, 0.001)
				}
			}()
			<-helped
			assert.NoError(t, in.SignalMain(syscall.SIGUSR1))
		})
		delivered = intr.Delivered()
		return nil // no more Python code: the handler runs while gilkit drops the interrupt
	})
	require.NoError(t, in.DoMain(func(py *embed.Py) error {
		return py.Exec("import signal\nsignal.signal(signal.SIGUSR1, signal.SIG_DFL)")
	}))
	require.True(t, delivered)
	var pyErr *embed.PyError
	require.ErrorAs(t, err, &pyErr, "the handler's exception was swallowed")
	assert.Equal(t, "KeyboardInterrupt", pyErr.Type)
	assert.False(t, errors.Is(err, context.Canceled))
}

// A Go function that attaches with its own in.Do, called by Python code
// inside a Do: when that inner Do ends, the outer Do still runs Python, so
// the thread is still busy (Interrupt reaches it) and an interrupt that
// arrived for the outer code is not dropped.
func TestInterruptAfterANestedDoInAGoFunction(t *testing.T) {
	require.NoError(t, attachAgain()) // gilkit.t_attach_again: Fn does in.Do
	in := interp(t)
	spin := spinFunc(t)
	var ns *embed.Object
	do(t, func(py *embed.Py) error {
		var err error
		ns, err = py.Namespace("nested")
		require.NoError(t, err)
		return py.Exec("import gilkit\ndef outer(spin):\n    gilkit.t_attach_again()\n    return spin(10.0)\n", embed.Globals(ns))
	})
	defer ns.Close()
	outer := evalIn2(in, ns, "outer")
	defer outer.Close()
	ids := make(chan uint64, 1)
	done := make(chan error, 1)
	go func() {
		done <- in.Do(func(py *embed.Py) error {
			ids <- py.ThreadID()
			_, err := py.Call(outer, spin)
			return err
		})
	}()
	id := waitFor(t, ids, "the thread id")
	time.Sleep(200 * time.Millisecond) // the Go function has returned; spin runs
	deadline := time.Now().Add(generous)
	for {
		ok, err := in.Interrupt(id)
		require.NoError(t, err)
		if ok {
			break
		}
		require.True(t, time.Now().Before(deadline), "Interpreter.Interrupt found the thread idle while its Do ran")
		time.Sleep(10 * time.Millisecond)
	}
	err := waitFor(t, done, "the interrupted Do")
	var pyErr *embed.PyError
	require.ErrorAs(t, err, &pyErr)
	assert.Equal(t, "KeyboardInterrupt", pyErr.Type)
}
