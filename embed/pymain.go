package embed

/*
#include "gilkit_main.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Command is a python command line, run in this process by CPython's own
// main program (Py_RunMain) on Python's main thread, so that it behaves as
// the python binary of the linked libpython would: same stdout, stderr and
// exit status.
//
// What that covers: sys.argv, sys.path[0] and __main__ as python sets them;
// `python DIR` and `python ZIP` with a __main__.py, -c, -m and "-" (the
// script on standard input); python's own options (-u, -X dev, -W error,
// ...); every PYTHON* environment variable (PYTHONPATH, PYTHONUNBUFFERED,
// PYTHONSAFEPATH, ...), unlike [Config.ReadEnvironment]'s default; tracebacks
// through sys.excepthook; SystemExit's status and message; exit status 120
// when flushing fails at exit; non-daemon threads joined and atexit handlers
// run at the end; the multiprocessing start method python uses ("fork" on
// Linux before 3.14). Signals behave as in python (see [Command.Run]), and
// a process the script forks runs and ends as python's would.
type Command struct {
	// Args is python's command line after the program name:
	// {"script.py", "arg"}, {"-c", "print(1)"}, {"-m", "module"},
	// {"some/dir"} or {"app.zip"} holding a __main__.py, {"-u", "script.py"}.
	Args []string
	// Executable is argv[0] and sys.executable. Default: the python
	// binary of the linked libpython.
	Executable string
	// Grace is how long a cancelled run may take to stop after it was
	// interrupted before Run gives up on it. Default: 2 s.
	Grace time.Duration
}

// ErrStopped is returned (wrapped with the context's cause) by Command.Run
// when its context was done before the program finished.
var ErrStopped = errors.New("embed: python program stopped")

// ErrAbandoned is returned with ErrStopped when the program did not end
// within Command.Grace of being interrupted: Run flushed what Python had
// written and gave up on it, so what it would have printed later (finally
// blocks, atexit handlers) is lost.
var ErrAbandoned = errors.New("it did not stop in time after being interrupted")

// flushBound bounds the wait to flush Python's output before the process
// ends without Python's consent: a thread holding the GIL inside one long C
// call never lets anyone attach.
const flushBound = 500 * time.Millisecond

// pymainSetup is what start needs to prepare Py_RunMain.
type pymainSetup struct {
	notifyFD int
	// grace bounds each of the fence's two waits for Go's running work
	// when the program ends (see gkPythonFence).
	grace time.Duration
}

// gkPythonFence is the fence at the end of Command.Run's program (pymain.c),
// called on CPython's main thread with its thread state released, before
// Py_RunMain finalizes CPython. It stops new work (Do returns ErrClosed from
// now on) and waits, up to the grace period, for goroutines inside Do and
// Go functions called from Python to finish. It returns how many are still
// running; round 1 is the wait after their Python code was interrupted.
//
//export gkPythonFence
func gkPythonFence(round C.int) C.int {
	in := runningInterp.Load()
	if in == nil || in.pymain == nil {
		return 0
	}
	in.stopNewWork()
	ctx, cancel := context.WithTimeout(context.Background(), in.pymain.grace)
	defer cancel()
	_ = in.waitIdle(ctx)
	return C.int(in.active.Load())
}

// pythonFinalized is closed when a cancelled run's CPython has finalized
// (gkPythonFinalized, called by the main thread from Py_FinalizeEx).
var (
	pythonFinalized     = make(chan struct{})
	pythonFinalizedOnce sync.Once
)

//export gkPythonFinalized
func gkPythonFinalized() { pythonFinalizedOnce.Do(func() { close(pythonFinalized) }) }

// Run starts CPython, runs the command on its main thread and returns the
// exit status python would exit with. CPython is finalized when it returns,
// and cannot be started again in this process (one Run, or one Start, per
// process).
//
// Go code may use the interpreter while the program runs (embed.Default
// returns it; Go functions registered with Register run when the program
// calls them). When the program ends, after its atexit handlers, Run stops
// new work - Do returns ErrClosed from then on - and waits up to Grace for
// goroutines inside Do and Go functions called from Python to finish, then
// interrupts their Python code and waits up to Grace again, as python waits
// for non-daemon threads; only then does CPython finalize. What still runs
// after that (a Go function that never returns, called from a daemon
// thread) never attaches again: its thread stops where it would have
// attached, and the process is expected to exit. Close returns an error
// while the program runs and ErrClosed after Run.
//
// Like python, Run ends the process itself in some cases, with python's
// status and output: sys.exit() (exit with its status), an uncaught
// KeyboardInterrupt (killed by SIGINT), a fatal error, a bad command line.
// Signals are python's: a signal with a Python handler runs it on the main
// thread (SIGINT raises KeyboardInterrupt), interrupting a blocking call
// there; an ignored signal is ignored; a signal at its default action ends
// the process as that action would (killed by it, status 128+N in a shell),
// after flushing sys.stdout and sys.stderr, which python does not do. When
// a program does not end within Grace of a SIGINT or SIGTERM that Python
// handles, a second one ends it like the default action (python could be
// stuck in a C call that never returns).
//
// When ctx is done, Run interrupts the program as Ctrl-C would
// (KeyboardInterrupt on the main thread) and waits up to Grace for it to
// finish: its finally blocks and atexit handlers run and its output is
// flushed. Then, or at once if it could not be interrupted (SIGINT ignored,
// a C call holding the GIL), Run flushes what it can and returns ErrStopped
// while CPython's main thread is left parked or running: the caller should
// exit the process.
func (c Command) Run(ctx context.Context) (int, error) {
	grace := c.Grace
	if grace <= 0 {
		grace = 2 * time.Second
	}
	sigs, err := newSignalForwarder()
	if err != nil {
		return 0, err
	}
	defer sigs.stop()
	in, err := start(Config{
		Argv:                append([]string{c.executable()}, c.Args...),
		Executable:          c.Executable,
		ReadEnvironment:     true,
		ForkMultiprocessing: true,
	}, &pymainSetup{notifyFD: sigs.notifyFD(), grace: grace})
	if err != nil {
		return 0, err
	}
	sigs.start(grace)

	done := make(chan int, 1)
	go func() {
		status := 0
		sent := in.onMain(func() {
			status = int(C.gk_pymain_run(C.gk_main_thread_state()))
			in.pymainFinished()
		})
		if sent == nil {
			done <- status
		}
	}()
	select {
	case status := <-done:
		return status, nil
	case <-ctx.Done():
	}
	C.gk_pymain_cancel()
	sigs.interruptMain(in)
	stopped := fmt.Errorf("%w: %w", ErrStopped, context.Cause(ctx))
	select {
	case status := <-done: // it ended on its own, just in time
		return status, nil
	case <-pythonFinalized:
		return 0, stopped
	case <-time.After(grace):
	}
	flushPython()
	return 0, fmt.Errorf("%w (%w: waited %v)", stopped, ErrAbandoned, grace)
}

// executable is argv[0] of the command line: python's own path, so that
// sys.orig_argv and messages naming the program match python's.
func (c Command) executable() string {
	if c.Executable != "" {
		return c.Executable
	}
	if exe := defaultExecutable(C.GoString(C.gk_libpython())); exe != "" {
		return exe
	}
	return "python" + BuildName()
}

// pymainFinished records that Py_RunMain finalized CPython.
func (in *Interpreter) pymainFinished() {
	in.stopNewWork()
	in.mainInterp.dead.Store(true)
	markFinalized()
}

// flushPython flushes sys.stdout and sys.stderr from a goroutine of its own,
// waiting at most flushBound for the GIL.
func flushPython() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		lockThread(func() { C.gk_flush_std_streams() })
	}()
	select {
	case <-done:
	case <-time.After(flushBound):
	}
}
