package embed_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// Each deadlock the issue lists runs in a child process (a deadlocked
// interpreter cannot be reused, and a stuck goroutine holding the GIL would
// hang every later test) and bounds each of its own waits with within, so a
// regression fails with a message instead of hanging.

func init() {
	childScenarios["close-inside-do"] = closeInsideDoScenario
	childScenarios["close-waits-without-polling"] = closeWaitsWithoutPollingScenario
	childScenarios["close-deadline"] = closeDeadlineScenario
	childScenarios["token-other-goroutine"] = tokenOtherGoroutineScenario
	childScenarios["close-waits-for-call"] = closeWaitsForCallScenario
}

// within runs f on a goroutine and waits for it at most d.
func within(d time.Duration, what string, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("%s did not return within %v (deadlock)", what, d)
	}
}

const scenarioBound = 20 * time.Second

// closeInsideDoScenario: Close inside a Do whose token was never used (so
// the goroutine never attached in C) used to wait for its own caller for
// ever, while every other goroutine's Do returned ErrClosed.
func closeInsideDoScenario() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	err = within(scenarioBound, "Close inside Do (token unused)", func() error {
		return in.Do(func(py *embed.Py) error { return in.Close() })
	})
	if err == nil || !strings.Contains(err.Error(), "inside a Do closure") {
		return fmt.Errorf("Close inside Do: got %v, want an error saying it is inside a Do closure", err)
	}
	err = within(scenarioBound, "Close inside Detach", func() error {
		return in.Do(func(py *embed.Py) error {
			var err error
			py.Detach(func() { err = in.Close() })
			return err
		})
	})
	if err == nil || !strings.Contains(err.Error(), "inside a Do closure") {
		return fmt.Errorf("Close inside Detach: got %v", err)
	}
	// Nothing was closed: other goroutines keep working.
	if err := within(scenarioBound, "Do after the refused Close", func() error {
		return in.Do(func(py *embed.Py) error { return py.Exec("pass") })
	}); err != nil {
		return fmt.Errorf("Do after the refused Close: %w", err)
	}
	if err := within(scenarioBound, "Close", in.Close); err != nil {
		return fmt.Errorf("Close: %w", err)
	}
	fmt.Println("CLOSE-INSIDE-DO OK")
	return nil
}

func TestCloseInsideDoReturnsAnError(t *testing.T) {
	assert.Contains(t, runInChild(t, "close-inside-do"), "CLOSE-INSIDE-DO OK")
}

// closeWaitsWithoutPollingScenario: while Close waits for a goroutine inside
// Do, its goroutine must be parked on a channel, not in a sleep loop, and it
// must return once that goroutine leaves Do.
func closeWaitsWithoutPollingScenario() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	inside, release := make(chan struct{}), make(chan struct{})
	doDone := make(chan error, 1)
	go func() {
		doDone <- in.Do(func(py *embed.Py) error {
			if err := py.Exec("pass"); err != nil {
				return err
			}
			close(inside)
			py.Detach(func() { <-release })
			return py.Exec("x = 1")
		})
	}()
	<-inside
	closed := make(chan error, 1)
	go func() { closed <- in.Close() }()
	var stack string
	for range 200 { // until Close is parked
		time.Sleep(10 * time.Millisecond)
		stack = closeGoroutine()
		if stack != "" && strings.Contains(stack, "waitIdle") {
			break
		}
	}
	if !strings.Contains(stack, "waitIdle") {
		return fmt.Errorf("Close is not waiting in waitIdle; its goroutine:\n%s", stack)
	}
	if strings.Contains(stack, "time.Sleep") || !strings.Contains(stack, "[select") {
		return fmt.Errorf("Close waits by polling instead of on a channel; its goroutine:\n%s", stack)
	}
	close(release)
	if err := within(scenarioBound, "the Do that Close waits for", func() error { return <-doDone }); err != nil {
		return fmt.Errorf("the running Do: %w", err)
	}
	if err := within(scenarioBound, "Close after the last Do returned", func() error { return <-closed }); err != nil {
		return err
	}
	fmt.Println("CLOSE-WAITS OK")
	return nil
}

// closeGoroutine returns the stack of the goroutine running Close.
func closeGoroutine() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "embed.(*Interpreter).Close") {
			return g
		}
	}
	return ""
}

func TestCloseWaitsWithoutPolling(t *testing.T) {
	assert.Contains(t, runInChild(t, "close-waits-without-polling"), "CLOSE-WAITS OK")
}

// closeWaitsForCallScenario: Close waits for an Interpreter.Call in flight
// (its one-crossing fast path counts as a goroutine inside Do) and returns
// as soon as it ends, not at its deadline.
func closeWaitsForCallScenario() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	var slow *embed.Object
	if err := in.Do(func(py *embed.Py) error {
		slow, err = py.Eval("lambda: __import__('time').sleep(0.3)")
		return err
	}); err != nil {
		return err
	}
	callDone := make(chan error, 1)
	go func() {
		_, err := in.Call(slow) // no arguments: the fast path
		callDone <- err
	}()
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), scenarioBound)
	defer cancel()
	start := time.Now()
	if err := in.CloseContext(ctx); err != nil {
		return fmt.Errorf("CloseContext with a Call in flight: %w", err)
	}
	if took := time.Since(start); took > scenarioBound/2 {
		return fmt.Errorf("CloseContext took %v: it did not notice that the Call ended", took)
	}
	if err := <-callDone; err != nil {
		return fmt.Errorf("the Call in flight: %w", err)
	}
	fmt.Println("CLOSE-WAITS-FOR-CALL OK")
	return nil
}

func TestCloseWaitsForACallInFlight(t *testing.T) {
	assert.Contains(t, runInChild(t, "close-waits-for-call"), "CLOSE-WAITS-FOR-CALL OK")
}

// closeDeadlineScenario: CloseContext with a deadline, while a goroutine
// runs Python in Do and a Python thread runs too, returns an error that
// names both, leaves CPython usable by the running code, and a later
// CloseContext finalizes once they are done.
func closeDeadlineScenario() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	// A non-daemon Python thread: python waits for it at exit, and so
	// does Close, up to its deadline. (daemon=False is needed: threading
	// makes a thread a daemon when the thread that starts it is one, and a
	// goroutine's thread is a "dummy" thread, which is a daemon.)
	if err := in.Do(func(py *embed.Py) error {
		return py.Exec("import threading, time\nthreading.Thread(target=time.sleep, args=(5.0,), name='lingering', daemon=False).start()\n")
	}); err != nil {
		return err
	}
	ctx, stopSpinning := context.WithCancel(context.Background())
	defer stopSpinning()
	inside := make(chan struct{})
	doDone := make(chan error, 1)
	go func() {
		doDone <- in.DoContext(ctx, func(py *embed.Py) error {
			close(inside)
			return py.Exec("def spin_in_do():\n    while True:\n        pass\nspin_in_do()\n", embed.Filename("spinner.py"))
		})
	}()
	<-inside
	short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var closeErr error
	if err := within(scenarioBound, "CloseContext with a deadline", func() error {
		closeErr = in.CloseContext(short)
		return nil
	}); err != nil {
		return err
	}
	if !errors.Is(closeErr, context.DeadlineExceeded) {
		return fmt.Errorf("CloseContext: got %v, want an error wrapping context.DeadlineExceeded", closeErr)
	}
	for _, want := range []string{"1 goroutine(s) still inside Do", "spinner.py", "spin_in_do"} {
		if !strings.Contains(closeErr.Error(), want) {
			return fmt.Errorf("CloseContext's error does not name %q: %v", want, closeErr)
		}
	}
	if err := in.Do(func(*embed.Py) error { return nil }); !errors.Is(err, embed.ErrClosed) {
		return fmt.Errorf("new Do after a failed Close: got %v, want ErrClosed", err)
	}
	stopSpinning()
	if err := within(scenarioBound, "the interrupted Do", func() error { return <-doDone }); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("the spinning Do: got %v, want context.Canceled", err)
	}

	in2ctx, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	closeErr = in.CloseContext(in2ctx)
	if !errors.Is(closeErr, context.DeadlineExceeded) || !strings.Contains(closeErr.Error(), "'lingering'") {
		return fmt.Errorf("CloseContext with a Python thread running: got %v", closeErr)
	}
	if err := within(scenarioBound, "CloseContext after the thread ended", func() error {
		return in.CloseContext(context.Background())
	}); err != nil {
		return fmt.Errorf("the final CloseContext: %w", err)
	}
	if err := in.Close(); !errors.Is(err, embed.ErrClosed) {
		return fmt.Errorf("Close after Close: %v", err)
	}
	fmt.Println("CLOSE-DEADLINE OK")
	return nil
}

func TestCloseContextNamesWhatStillRuns(t *testing.T) {
	assert.Contains(t, runInChild(t, "close-deadline"), "CLOSE-DEADLINE OK")
}

// tokenOtherGoroutineScenario: a token used from another goroutine (while
// its closure still runs, detached) must panic clearly; before, it ran C on
// a thread that was not attached (3.12+: a crash; 3.11: another thread's
// state).
func tokenOtherGoroutineScenario() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	var recovered any
	err = within(scenarioBound, "the token misuse", func() error {
		return in.Do(func(py *embed.Py) error {
			if err := py.Exec("pass"); err != nil {
				return err
			}
			var wg sync.WaitGroup
			wg.Add(1)
			py.Detach(func() {
				go func() {
					defer wg.Done()
					defer func() { recovered = recover() }()
					_ = py.Exec("x = 1")
				}()
				wg.Wait()
			})
			return nil
		})
	})
	if err != nil {
		return err
	}
	msg, _ := recovered.(string)
	if !strings.Contains(msg, "goroutine other than the one running its Do closure") {
		// Detach marks the token unusable too; use it from another
		// goroutine while the closure is attached as well.
		return fmt.Errorf("token used from another goroutine inside Detach: recovered %v", recovered)
	}
	err = in.Do(func(py *embed.Py) error {
		if err := py.Exec("pass"); err != nil {
			return err
		}
		done := make(chan any, 1)
		go func() {
			defer func() { done <- recover() }()
			_, _ = py.Eval("1")
		}()
		var got any
		py.Detach(func() { got = <-done }) // waiting attached could deadlock
		recovered = got
		return nil
	})
	if err != nil {
		return err
	}
	if msg, _ := recovered.(string); !strings.Contains(msg, "goroutine other than the one running its Do closure") {
		return fmt.Errorf("token used from another goroutine: recovered %v", recovered)
	}
	fmt.Println("TOKEN OK")
	return in.Close()
}

func TestTokenIsBoundToItsGoroutine(t *testing.T) {
	assert.Contains(t, runInChild(t, "token-other-goroutine"), "TOKEN OK")
}

// TestNewSubinterpreterInsideDo: creating a subinterpreter needs the main
// GIL on the new subinterpreter's goroutine; the caller used to wait for it
// while holding that GIL.
func TestNewSubinterpreterInsideDo(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("subinterpreters need CPython 3.12+")
	}
	in := interp(t)
	err := within(scenarioBound, "NewSubinterpreter inside an attached Do", func() error {
		return in.Do(func(py *embed.Py) error {
			if err := py.Exec("pass"); err != nil { // attached: holds the GIL
				return err
			}
			sub, err := in.NewSubinterpreter()
			if err != nil {
				return err
			}
			if err := sub.Do(func(py *embed.Py) error { return py.Exec("pass") }); err != nil {
				return err
			}
			if err := sub.Close(); err != nil {
				return err
			}
			return py.Exec("still_attached = True") // attached again afterwards
		})
	})
	require.NoError(t, err)
}

// TestSubinterpreterDoInsideAttachedDo: goroutine A, attached to the main
// interpreter, waits in sub.Do for a closure that waits for goroutine B,
// which needs the main interpreter (the GIL on GIL builds; a stop-the-world
// gc.collect() on free-threaded ones). A used to wait attached: deadlock.
func TestSubinterpreterDoInsideAttachedDo(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("subinterpreters need CPython 3.12+")
	}
	in := interp(t)
	sub, err := in.NewSubinterpreter()
	require.NoError(t, err)
	defer sub.Close()
	bRan, aWaits := make(chan struct{}), make(chan struct{})
	aErr := make(chan error, 1)
	go func() {
		aErr <- in.Do(func(py *embed.Py) error {
			if err := py.Exec("pass"); err != nil {
				return err
			}
			return sub.Do(func(py *embed.Py) error {
				close(aWaits) // A is attached to main and waits in sub.Do now
				select {
				case <-bRan:
					return nil
				case <-time.After(scenarioBound):
					return errors.New("goroutine B never got to run main-interpreter Python while A waited in sub.Do")
				}
			})
		})
	}()
	waitFor(t, aWaits, "goroutine A to wait in sub.Do")
	bErr := within(scenarioBound, "goroutine B's Do", func() error {
		return in.Do(func(py *embed.Py) error {
			defer close(bRan)
			return py.Exec("import gc\ngc.collect()\n")
		})
	})
	require.NoError(t, bErr)
	require.NoError(t, waitFor(t, aErr, "goroutine A"))
}

func TestSubinterpreterDoFromItsOwnClosure(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("subinterpreters need CPython 3.12+")
	}
	sub, err := interp(t).NewSubinterpreter()
	require.NoError(t, err)
	defer sub.Close()
	var inner, closeErr error
	err = within(scenarioBound, "sub.Do from its own closure", func() error {
		return sub.Do(func(py *embed.Py) error {
			inner = sub.Do(func(*embed.Py) error { return nil })
			closeErr = sub.Close()
			return nil
		})
	})
	require.NoError(t, err)
	assert.ErrorContains(t, inner, "from inside one of its own closures")
	assert.ErrorContains(t, closeErr, "from inside one of its own closures")
}

// TestGoexitInsideSubinterpreterDo: t.FailNow (runtime.Goexit) inside a
// sub.Do closure used to end the subinterpreter's goroutine and leave the
// caller waiting for ever. Now the caller's goroutine exits the same way and
// the subinterpreter keeps working.
func TestGoexitInsideSubinterpreterDo(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("subinterpreters need CPython 3.12+")
	}
	sub, err := interp(t).NewSubinterpreter()
	require.NoError(t, err)
	defer sub.Close()
	for range 3 {
		reachedAfter := false
		exited := make(chan struct{})
		go func() {
			defer close(exited)
			_ = sub.Do(func(py *embed.Py) error {
				if err := py.Exec("pass"); err != nil {
					return err
				}
				runtime.Goexit()
				return nil
			})
			reachedAfter = true
		}()
		waitFor(t, exited, "the caller of a sub.Do whose closure called Goexit")
		assert.False(t, reachedAfter, "Goexit in the closure must end the caller's goroutine too")
		require.NoError(t, within(scenarioBound, "sub.Do after a Goexit", func() error {
			return sub.Do(func(py *embed.Py) error { return py.Exec("y = 2") })
		}))
	}
}
