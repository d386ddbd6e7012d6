package embed

/*
#include <stdint.h>
#include "gilkit_main.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/cgo"
	"sync"
	"syscall"
)

// Python's main thread is the OS thread that initializes CPython: threading
// calls it MainThread, only it may install signal handlers, Python signal
// handlers run on it, and at exit it joins the non-daemon threads. gilkit
// gives it a thread of its own, owned by the interpreter (see
// Interpreter.own): by default a thread created in C with a stack as large
// as the process's main thread may grow, or, when the program hands it over
// with Main, the process's main thread itself.

// mainWork is non-nil while Main serves the process's main thread.
var (
	mainWorkMu sync.Mutex
	mainWork   chan func()
)

// Main gives the process's main thread to CPython and runs main on another
// goroutine; when main returns, Main exits the process with its result. It
// never returns.
//
// Call it from func main, with the main goroutine locked to the main thread
// by runtime.LockOSThread in an init function (Go runs main on the main
// thread only then):
//
//	func init() { runtime.LockOSThread() }
//
//	func main() { embed.Main(func() int { return run(os.Args[1:]) }) }
//
// An interpreter started while Main runs is initialized on the process's
// main thread, so Python's main thread is the process's, exactly as in the
// python command: the same C stack (its size follows `ulimit -s`), and the
// kernel delivers signals sent to the process to it first. Without Main,
// [Start] creates a thread for CPython with a stack at least as large (see
// [MainThreadStackSize]); the difference matters only for programs that run
// Python scripts as python would ([Command]).
func Main(main func() int) {
	runtime.LockOSThread()
	work := make(chan func())
	mainWorkMu.Lock()
	mainWork = work
	mainWorkMu.Unlock()
	go func() { os.Exit(main()) }()
	for f := range work {
		f()
	}
}

// launchMainThread runs f, which owns the interpreter, on the thread that is to
// become Python's main thread: the process's main thread while Main serves
// it, otherwise a new thread with a large C stack.
func launchMainThread(f func()) error {
	mainWorkMu.Lock()
	work := mainWork
	mainWorkMu.Unlock()
	if work != nil {
		work <- f
		return nil
	}
	h := cgo.NewHandle(f)
	if rc := C.gk_spawn_main_thread(C.uintptr_t(h), C.size_t(MainThreadStackSize())); rc != 0 {
		h.Delete()
		return fmt.Errorf("embed: creating CPython's main thread: %w", syscall.Errno(rc))
	}
	return nil
}

//export gkRunMainThread
func gkRunMainThread(handle C.uintptr_t) {
	h := cgo.Handle(handle)
	f := h.Value().(func())
	h.Delete()
	f() // a callback from C: the goroutine stays on this thread until f returns
}

// Stack sizes of the thread gilkit creates for CPython.
const (
	minMainStack       = 8 << 20 // glibc's default thread stack under the usual `ulimit -s 8192`
	unlimitedMainStack = 1 << 30 // reserved address space, not memory: pages are used as touched
)

// MainThreadStackSize is the C stack size of the thread gilkit creates for
// CPython's main thread when the program does not hand over its own with
// [Main]: the process's stack limit (`ulimit -s`), at least 8 MiB, and 1 GiB
// when the limit is unlimited. A plain thread would get 2 MiB under an
// unlimited limit, too little for CPython's C recursion limit: str() of a
// deeply nested dict would crash instead of raising RecursionError.
func MainThreadStackSize() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_STACK, &lim); err != nil {
		return minMainStack
	}
	return mainStackFor(lim.Cur)
}

// mainStackFor maps the soft stack limit (RLIM_INFINITY for unlimited) to
// the stack of CPython's main thread.
func mainStackFor(limit uint64) int {
	if limit >= unlimitedMainStack { // RLIM_INFINITY, or beyond the cap
		return unlimitedMainStack
	}
	return max(int(limit), minMainStack)
}

// onMainThread reports whether the calling goroutine runs on Python's main
// thread. The caller is locked to its thread.
func onMainThread() bool { return C.gk_on_main_thread() != 0 }

// errNotServing is returned when Python's main thread no longer serves
// closures (the interpreter is finalized).
var errNotServing = errors.New("embed: CPython's main thread has finished")

// onMain runs f on Python's main thread and waits for it.
func (in *Interpreter) onMain(f func()) error {
	done := make(chan struct{})
	select {
	case in.mainCalls <- func() { defer close(done); f() }:
	case <-in.mainThreadDone:
		return errNotServing
	}
	<-done
	return nil
}

// DoMain is Do on Python's main thread: fn runs attached on the thread that
// initialized CPython, where threading.current_thread() is the MainThread,
// signal.signal and signal.set_wakeup_fd work, and asyncio may add signal
// handlers. Closures sent to DoMain run one at a time, in order; the calling
// goroutine waits for its own. Calling DoMain inside a DoMain closure runs
// the inner closure at once.
//
// Use it for Python code that needs the main thread; Do, which runs on the
// calling goroutine's own thread, is cheaper and runs in parallel.
func (in *Interpreter) DoMain(fn func(py *Py) error) error {
	runtime.LockOSThread()
	here := onMainThread()
	runtime.UnlockOSThread()
	if here {
		return in.Do(fn)
	}
	if in.closing.Load() {
		return ErrClosed
	}
	var err error
	if sent := in.onMain(func() { err = in.Do(fn) }); sent != nil {
		return ErrClosed
	}
	return err
}
