package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gilkit/gilkit/embed/internal/gid"
)

// Subinterpreter is an isolated interpreter with its own GIL (PEP 684,
// CPython 3.12+): Python code in different subinterpreters runs in parallel
// even on a GIL build. It is owned by one goroutine locked to one OS thread,
// which creates it, runs every closure sent through Do, and destroys it.
// Objects never cross between interpreters.
type Subinterpreter struct {
	parent *Interpreter
	st     *interpState
	jobs   chan *subJob
	quit   chan struct{} // closed by Close: no more jobs
	exited chan struct{} // closed when the subinterpreter is destroyed
	owner  uintptr       // the owner goroutine (gid.Current)

	closeOnce sync.Once
}

type subJob struct {
	fn   func(py *Py) error
	done chan subResult
}

type subResult struct {
	err      error
	panicked any
	goexit   bool // fn called runtime.Goexit (t.FailNow does)
}

var subCounter atomic.Int64

var (
	errSubFromItself  = errors.New("embed: Subinterpreter.Do called from inside one of its own closures (it runs one closure at a time, so this would wait for itself; run the code directly with the token you have)")
	errSubCloseItself = errors.New("embed: Subinterpreter.Close called from inside one of its own closures (it would wait for that closure to return)")
)

// NewSubinterpreter creates a subinterpreter with its own GIL. On CPython
// 3.11 and older it returns an error saying so.
//
// # Deadlocks
//
// Creating one needs the main interpreter's GIL on the new subinterpreter's
// own goroutine. Called inside a Do closure, NewSubinterpreter releases the
// caller's thread state while it waits, so that goroutine can get it.
func (in *Interpreter) NewSubinterpreter() (*Subinterpreter, error) {
	// Counted as work in progress, so that Close, which closes the
	// subinterpreters once no work is left, sees this one registered.
	if !in.enterActive(false) {
		return nil, ErrClosed
	}
	defer in.leaveActive()
	s := &Subinterpreter{
		parent: in,
		st:     &interpState{name: fmt.Sprintf("sub%d", subCounter.Add(1)), interp: in},
		jobs:   make(chan *subJob),
		quit:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	ready := make(chan error, 1)
	go s.own(ready)
	var err error
	waitDetached(func() { err = <-ready })
	if err != nil {
		return nil, err
	}
	in.subsMu.Lock()
	in.subs[s] = struct{}{}
	in.subsMu.Unlock()
	return s, nil
}

// own is the subinterpreter's goroutine: it creates, serves and destroys the
// subinterpreter on one locked thread, as CPython requires.
func (s *Subinterpreter) own(ready chan<- error) {
	runtime.LockOSThread()
	s.owner = gid.Current()
	ts, err := s.create()
	if err != nil {
		runtime.UnlockOSThread()
		close(s.exited)
		ready <- err
		return
	}
	ready <- nil
	s.serveAndEnd(ts)
}

// serveAndEnd runs jobs until Close, then destroys the subinterpreter. A
// closure that calls runtime.Goexit ends the goroutine that runs it; serve
// then continues this loop from its deferred call, on the same thread, so
// the subinterpreter outlives the closure.
func (s *Subinterpreter) serveAndEnd(ts *C.PyThreadState) {
	for {
		select {
		case job := <-s.jobs:
			if !s.serve(ts, job) {
				return // the rest ran in serve's deferred call
			}
			continue
		case <-s.quit:
		}
		break
	}
	if C.gk_enter_sub(ts) == C.GK_OK {
		s.st.drain()
		_ = leave() // closing: nobody is left to report a late exception to
	}
	s.st.dead.Store(true)
	C.gk_sub_end(ts)
	runtime.UnlockOSThread()
	close(s.exited)
}

func (s *Subinterpreter) create() (*C.PyThreadState, error) {
	var ts *C.PyThreadState
	err := s.parent.Do(func(py *Py) error {
		py.check()
		var cerr *C.char
		ts = C.gk_sub_new(&cerr)
		if ts == nil {
			defer C.free(unsafe.Pointer(cerr))
			return fmt.Errorf("embed: creating a subinterpreter: %s", C.GoString(cerr))
		}
		return nil
	})
	return ts, err
}

// serve runs one closure attached to the subinterpreter and sends its
// result; a panic is carried back to the caller's goroutine instead of
// killing the process, and so is runtime.Goexit. It reports false when the
// closure called Goexit: the serving loop has then already run to its end
// inside the deferred call.
func (s *Subinterpreter) serve(ts *C.PyThreadState, job *subJob) (returned bool) {
	finished := false
	defer func() {
		if finished {
			return
		}
		if p := recover(); p != nil {
			job.done <- subResult{panicked: p}
			returned = true
			return
		}
		// Goexit: this goroutine is on its way out. Tell the caller, then
		// keep serving from here, on the same locked thread.
		job.done <- subResult{goexit: true}
		s.serveAndEnd(ts)
	}()
	err := runWithToken(newToken(s.st, ts), job.fn)
	finished = true
	job.done <- subResult{err: err}
	return true
}

// Do runs fn attached to the subinterpreter, on its goroutine, and waits
// for it. Calls from several goroutines are served one at a time; use
// several subinterpreters for parallelism. A panic in fn is re-raised in
// the caller, and a runtime.Goexit in fn (t.FailNow) ends the caller's
// goroutine the same way.
//
// # Deadlocks
//
// Do waits for the subinterpreter's goroutine. Called inside a Do closure of
// the main interpreter or of another subinterpreter, it releases the
// caller's thread state (and GIL) while it waits, so the other interpreter
// keeps running. Called from inside one of this subinterpreter's own
// closures it returns an error instead of waiting for itself. A closure
// that never returns blocks every later Do of this subinterpreter (use
// DoContext to bound it) and its Close.
func (s *Subinterpreter) Do(fn func(py *Py) error) error {
	return s.DoContext(context.Background(), fn)
}

// DoContext is Do bounded by ctx, like [Interpreter.DoContext]: when ctx
// ends while fn's Python code runs, that code gets KeyboardInterrupt and the
// returned error wraps ctx's error; when ctx ends while the call still waits
// for a closure of another goroutine to finish, it returns ctx's error
// without running fn.
func (s *Subinterpreter) DoContext(ctx context.Context, fn func(py *Py) error) error {
	if gid.Current() == s.owner {
		return errSubFromItself
	}
	if err := ctx.Err(); err != nil {
		return interrupted(ctx, nil)
	}
	job := &subJob{fn: fn, done: make(chan subResult, 1)}
	if ctx.Done() != nil {
		job.fn = func(py *Py) error { return py.withContext(ctx, fn) }
	}
	var res subResult
	var err error
	waitDetached(func() {
		select {
		case s.jobs <- job:
		case <-s.quit:
			err = ErrClosed
			return
		case <-s.exited:
			err = ErrClosed
			return
		case <-ctx.Done():
			err = interrupted(ctx, nil)
			return
		}
		res = <-job.done
	})
	switch {
	case err != nil:
		return err
	case res.panicked != nil:
		panic(res.panicked)
	case res.goexit:
		runtime.Goexit()
	}
	return res.err
}

// Close destroys the subinterpreter on its own thread after the closure it
// is running (if any) returns; callers still waiting to run one get
// ErrClosed. Closing twice is harmless. It waits without a bound; use
// CloseContext for one.
func (s *Subinterpreter) Close() error {
	return s.CloseContext(context.Background())
}

// CloseContext is Close that gives up when ctx ends, with an error that
// wraps ctx's error; the subinterpreter is then destroyed when its running
// closure returns. Called from inside one of its own closures it returns an
// error at once.
func (s *Subinterpreter) CloseContext(ctx context.Context) error {
	if gid.Current() == s.owner {
		return errSubCloseItself
	}
	s.closeOnce.Do(func() { close(s.quit) })
	var err error
	waitDetached(func() {
		select {
		case <-s.exited:
		case <-ctx.Done():
			err = fmt.Errorf("embed: closing subinterpreter %s: a closure is still running: %w", s.st.name, ctx.Err())
		}
	})
	if err != nil {
		return err
	}
	s.parent.subsMu.Lock()
	delete(s.parent.subs, s)
	s.parent.subsMu.Unlock()
	return nil
}

// closeSubinterpreters closes every subinterpreter, bounded by ctx.
func (in *Interpreter) closeSubinterpreters(ctx context.Context) error {
	in.subsMu.Lock()
	subs := make([]*Subinterpreter, 0, len(in.subs))
	for s := range in.subs {
		subs = append(subs, s)
	}
	in.subsMu.Unlock()
	var errs []error
	for _, s := range subs {
		if err := s.CloseContext(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("embed: Close gave up: %w", errors.Join(errs...))
	}
	return nil
}
