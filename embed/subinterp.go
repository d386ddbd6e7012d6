package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Subinterpreter is an isolated interpreter with its own GIL (PEP 684,
// CPython 3.12+): Python code in different subinterpreters runs in parallel
// even on a GIL build. It is owned by one goroutine locked to one OS thread,
// which creates it, runs every closure sent through Do, and destroys it.
// Objects never cross between interpreters.
type Subinterpreter struct {
	parent *Interpreter
	st     *interpState
	jobs   chan subJob
	exited chan struct{}

	mu     sync.RWMutex // held for reading while a job is sent, for writing by Close
	closed bool
}

type subJob struct {
	fn   func(py *Py) error
	done chan subResult
}

type subResult struct {
	err      error
	panicked any
}

var subCounter atomic.Int64

// NewSubinterpreter creates a subinterpreter with its own GIL. On CPython
// 3.11 and older it returns an error saying so.
func (in *Interpreter) NewSubinterpreter() (*Subinterpreter, error) {
	if in.closing.Load() {
		return nil, ErrClosed
	}
	s := &Subinterpreter{
		parent: in,
		st:     &interpState{name: fmt.Sprintf("sub%d", subCounter.Add(1))},
		jobs:   make(chan subJob),
		exited: make(chan struct{}),
	}
	ready := make(chan error)
	go s.own(ready)
	if err := <-ready; err != nil {
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
	defer runtime.UnlockOSThread()
	defer close(s.exited)

	ts, err := s.create()
	if err != nil {
		ready <- err
		return
	}
	ready <- nil
	for job := range s.jobs {
		job.done <- s.serve(ts, job.fn)
	}
	if C.gk_enter_sub(ts) == C.GK_OK {
		s.st.drain()
		C.gk_leave()
	}
	s.st.dead.Store(true)
	C.gk_sub_end(ts)
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

// serve runs one closure attached to the subinterpreter; a panic is carried
// back to the caller's goroutine instead of killing the process.
func (s *Subinterpreter) serve(ts *C.PyThreadState, fn func(py *Py) error) (res subResult) {
	defer func() {
		if p := recover(); p != nil {
			res = subResult{panicked: p}
		}
	}()
	return subResult{err: runWithToken(&Py{st: s.st, ts: ts}, fn)}
}

// Do runs fn attached to the subinterpreter, on its goroutine, and waits
// for it. Calls from several goroutines are served one at a time; use
// several subinterpreters for parallelism. A panic in fn is re-raised in
// the caller.
//
// Do must not be called from inside a closure running on the same
// subinterpreter: that closure occupies its only goroutine.
func (s *Subinterpreter) Do(fn func(py *Py) error) error {
	done := make(chan subResult, 1)
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	s.jobs <- subJob{fn: fn, done: done}
	s.mu.RUnlock()
	res := <-done
	if res.panicked != nil {
		panic(res.panicked)
	}
	return res.err
}

// Close destroys the subinterpreter on its own thread after the closures
// already sent have run. Closing twice is harmless.
func (s *Subinterpreter) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.jobs)
	s.mu.Unlock()
	<-s.exited
	s.parent.subsMu.Lock()
	delete(s.parent.subs, s)
	s.parent.subsMu.Unlock()
	return nil
}
