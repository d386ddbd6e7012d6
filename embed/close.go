package embed

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
)

// DefaultCloseTimeout bounds how long Close waits for goroutines inside Do,
// subinterpreters' closures and Python threads before it gives up.
const DefaultCloseTimeout = 30 * time.Second

// Close is CloseContext with a deadline of DefaultCloseTimeout: it waits for
// goroutines inside Do, subinterpreters' closures and non-daemon Python
// threads for at most that long, then finalizes CPython, or returns an
// error that names what still runs.
//
// # Deadlocks
//
// Close inside a Do closure (or inside Py.Detach, or a subinterpreter's
// closure) returns an error at once instead of waiting for its own caller.
// It holds no thread state while it waits. A closure that never returns
// makes Close give up after DefaultCloseTimeout; use DoContext so that
// closures can be interrupted, or CloseContext for another deadline.
func (in *Interpreter) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultCloseTimeout)
	defer cancel()
	return in.CloseContext(ctx)
}

// CloseContext finalizes CPython. It stops new work at once (Do from
// outside a closure returns ErrClosed; nested Do inside running closures
// still works), waits for every goroutine inside Do, closes the
// subinterpreters after their running closures, waits for Python's
// non-daemon threads (as python does at exit), and then runs Py_FinalizeEx
// on the thread that started CPython. After it succeeded, every method returns ErrClosed and
// Start returns ErrFinalized.
//
// When ctx ends first it returns an error that wraps ctx's error and names
// what is still running: how many goroutines are inside Do, and which
// Python code each thread is executing (file, line, function). CPython is
// then left initialized and closed to new work; call CloseContext again to
// keep waiting, or let the process exit. It never finalizes under running
// code: a thread that attaches while CPython finalizes is killed, which
// would take the Go runtime with it.
//
// # Deadlocks
//
// CloseContext inside a Do or Subinterpreter.Do closure returns an error at
// once: it would wait for its own caller. Called from a goroutine that Python
// code waits for, it waits until ctx ends. While it waits it holds no
// thread state, so the code it waits for can finish.
func (in *Interpreter) CloseContext(ctx context.Context) error {
	if in.pymain != nil {
		// Py_RunMain finalizes it; the runtime must not be touched after.
		if in.mainInterp.dead.Load() {
			return ErrClosed
		}
		return errors.New("embed: Close of Command.Run's interpreter while its program runs: CPython is finalized when the program ends")
	}
	if insideClosure() {
		return errors.New("embed: Close called from inside a Do closure (it would wait for that closure to return)")
	}
	var err error
	waitDetached(func() { err = in.close(ctx) })
	return err
}

func (in *Interpreter) close(ctx context.Context) error {
	in.closeMu.Lock()
	defer in.closeMu.Unlock()
	if in.closed {
		return ErrClosed
	}
	in.closing.Store(true)

	// Goroutines inside Do first: they may still use subinterpreters.
	if err := in.waitIdle(ctx); err != nil {
		return in.stillRunning(ctx, err)
	}
	if err := in.closeSubinterpreters(ctx); err != nil {
		return err
	}
	if err := in.waitPythonThreads(ctx); err != nil {
		return err
	}
	in.finalizing.Store(true)
	if err := in.waitIdle(ctx); err != nil { // stragglers that entered before finalizing was set
		in.finalizing.Store(false)
		return in.stillRunning(ctx, err)
	}
	reply := make(chan error, 1)
	in.finalize <- reply
	in.closed = true
	markFinalized()
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return fmt.Errorf("embed: Py_FinalizeEx did not finish (atexit handlers or object finalizers are still running): %w", ctx.Err())
	}
}

// callCloseHelper runs one helper of pythonThreadsSrc attached, as gilkit's
// own work (Close waits for it like for any Do).
func (in *Interpreter) callCloseHelper(name string, args ...any) ([]string, error) {
	if !in.enterActive(true) {
		return nil, ErrClosed
	}
	defer in.leaveActive()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var lines []string
	err := runWithToken(newToken(in.mainInterp, nil), func(py *Py) error {
		ns, err := py.Namespace("_gilkit_close")
		if err != nil {
			return err
		}
		defer ns.Close()
		if err := py.Exec(pythonThreadsSrc, Globals(ns), Filename("<gilkit-close>")); err != nil {
			return err
		}
		fn, err := py.Eval(name, Globals(ns))
		if err != nil {
			return err
		}
		defer fn.Close()
		r, err := py.Call(fn, args...)
		if err != nil {
			return err
		}
		defer r.Close()
		v, err := py.Go(r)
		if err != nil {
			return err
		}
		for _, line := range v.([]any) {
			lines = append(lines, line.(string))
		}
		return nil
	})
	return lines, err
}

// waitPythonThreads waits for Python's non-daemon threads, a slice of
// 50 ms at a time so that ctx is honoured.
func (in *Interpreter) waitPythonThreads(ctx context.Context) error {
	for {
		left, err := in.callCloseHelper("join_some", 0.05)
		if err != nil {
			return fmt.Errorf("embed: listing Python threads before finalizing: %w", err)
		}
		if len(left) == 0 {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("embed: Close gave up: %d non-daemon Python thread(s) still running (Py_FinalizeEx would wait for them): %s: %w",
				len(left), strings.Join(left, "; "), ctx.Err())
		}
	}
}

// describeGrace bounds how long stillRunning waits to attach: on a GIL
// build a goroutine inside one long C call holds the GIL.
const describeGrace = time.Second

// stillRunning builds Close's error when goroutines are still inside Do.
func (in *Interpreter) stillRunning(ctx context.Context, cause error) error {
	n := in.active.Load()
	lines := make(chan []string, 1)
	go func() {
		l, err := in.callCloseHelper("running")
		if err != nil {
			l = []string{"(could not list them: " + err.Error() + ")"}
		}
		lines <- l
	}()
	var what string
	select {
	case l := <-lines:
		what = "nothing runs Python code"
		if len(l) > 0 {
			what = "Python code running: " + strings.Join(l, "; ")
		}
	case <-time.After(describeGrace):
		what = "could not attach within " + describeGrace.String() + " to list their Python code: the GIL is held, probably by one long C call"
	}
	return fmt.Errorf("embed: Close gave up: %d goroutine(s) still inside Do; %s: %w", n, what, cause)
}
