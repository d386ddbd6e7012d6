package embed

/*
#include <signal.h>
#include "gilkit_main.h"

static int gk_kill_main(int sig) { return pthread_kill(gk_main_thread(), sig); }
*/
import "C"

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Signals under Command.Run (see signals.c for the C side). The Go runtime
// keeps its handlers for the signals whose default action ends a process;
// signals.c hands a signal to CPython while a Python handler is set for it,
// and to the kernel while it is ignored. What reaches Go is therefore a
// signal at its default action, and Go carries that action out, after
// flushing what Python has printed.

// terminatingSignals are the signals whose default action ends the process:
// Go is asked for them all, so that a signal the script sets back to
// signal.SIG_DFL ends the process as in python. (SIGPIPE is left to the
// kernel by signals.c; SIGCHLD, SIGURG, SIGWINCH and SIGCONT do nothing by
// default; SIGTSTP, SIGTTIN and SIGTTOU stop the process, which the kernel
// does itself since the Go runtime leaves them alone.)
func terminatingSignals() []os.Signal {
	sigs := []os.Signal{
		syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGILL, syscall.SIGTRAP,
		syscall.SIGABRT, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGUSR1, syscall.SIGSEGV,
		syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM, syscall.SIGTERM, syscall.SIGSTKFLT,
		syscall.SIGXCPU, syscall.SIGXFSZ, syscall.SIGVTALRM, syscall.SIGPROF, syscall.SIGIO,
		syscall.SIGPWR, syscall.SIGSYS,
	}
	for s := int(C.SIGRTMIN); s <= int(C.SIGRTMAX); s++ {
		sigs = append(sigs, syscall.Signal(s))
	}
	return sigs
}

// signalForwarder carries out default actions for Command.Run.
type signalForwarder struct {
	ch       chan os.Signal
	notifyR  *os.File // bytes written by the C trampoline: signals Python took
	notifyW  int
	quit     chan struct{}
	stopOnce sync.Once
}

func newSignalForwarder() (*signalForwarder, error) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		return nil, fmt.Errorf("embed: signal pipe: %w", err)
	}
	f := &signalForwarder{
		ch:      make(chan os.Signal, 16),
		notifyR: os.NewFile(uintptr(p[0]), "gilkit-signals"),
		notifyW: p[1],
		quit:    make(chan struct{}),
	}
	// Before CPython starts: signals.c takes Go's handlers as they are then.
	signal.Notify(f.ch, terminatingSignals()...)
	return f, nil
}

func (f *signalForwarder) notifyFD() int { return f.notifyW }

// start serves signals until stop. grace is how long a program may take
// to end after Python took a SIGINT or SIGTERM before a second one ends it.
func (f *signalForwarder) start(in *Interpreter, grace time.Duration) {
	taken := make(chan syscall.Signal, 16)
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := f.notifyR.Read(buf)
			for _, b := range buf[:n] {
				select {
				case taken <- syscall.Signal(b):
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		first := map[syscall.Signal]time.Time{}
		for {
			select {
			case <-f.quit:
				return
			case s := <-f.ch:
				f.defaultAction(s.(syscall.Signal))
			case s := <-taken:
				if s != syscall.SIGINT && s != syscall.SIGTERM {
					continue
				}
				if t, ok := first[s]; !ok {
					first[s] = time.Now()
				} else if time.Since(t) >= grace {
					flushPython()
					C.gk_die_by_signal(C.int(s))
				}
			}
		}
	}()
}

// defaultAction handles a signal that reached Go.
func (f *signalForwarder) defaultAction(s syscall.Signal) {
	switch C.gk_disposition(C.int(s)) {
	case C.GK_DISP_IGNORE:
		return
	case C.GK_DISP_PYTHON:
		// A handler was set while the signal was on its way: Python's.
		C.gk_kill_main(C.int(s))
		return
	}
	if blockedOnMainThread(s) {
		// python's main thread would keep it pending (signal.sigwait,
		// pthread_sigmask): leave it pending there.
		C.gk_kill_main(C.int(s))
		return
	}
	flushPython()
	C.gk_die_by_signal(C.int(s))
}

// interruptMain raises KeyboardInterrupt on Python's main thread as Ctrl-C
// would, if SIGINT has a Python handler.
func (f *signalForwarder) interruptMain() {
	if C.gk_disposition(C.SIGINT) == C.GK_DISP_PYTHON {
		C.gk_kill_main(C.SIGINT)
	}
}

func (f *signalForwarder) stop() {
	f.stopOnce.Do(func() {
		signal.Stop(f.ch)
		close(f.quit)
	})
}

// blockedOnMainThread reports whether Python's main thread blocks s, from
// /proc/self/task/TID/status ("SigBlk:", a hex mask of signals 1..64).
func blockedOnMainThread(s syscall.Signal) bool {
	tid := int(C.gk_main_thread_tid())
	if tid == 0 {
		return false
	}
	data, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if hex, ok := strings.CutPrefix(line, "SigBlk:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
			return err == nil && mask&(1<<(uint(s)-1)) != 0
		}
	}
	return false
}

// lockThread runs f with the goroutine locked to its OS thread.
func lockThread(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f()
}
