package embed

/*
#include <signal.h>
#include "gilkit_main.h"

static int gk_kill_main(int sig) { return pthread_kill(gk_main_thread(), sig); }
// CPython's thread identifier is the pthread_t (PyThread_get_thread_ident).
static unsigned long gk_main_thread_ident(void) { return (unsigned long)gk_main_thread(); }
*/
import "C"

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Signals under Command.Run (see signals.c for the C side). signals.c hands
// a signal to CPython while a Python handler is set for it, to the kernel
// while it is ignored, and, at its default action, to Python's main thread
// and then to Go through the notify pipe. Go carries the default action out,
// after flushing what Python has printed. The Go runtime keeps the
// synchronous signals and SIGABRT, and tells Go the same way (Notify).

// terminatingSignals are the signals whose default action ends the process.
// Go is asked for them all before CPython starts, so that the Go runtime has
// a handler for each that signals.c can take over and give back: the
// synchronous ones and SIGABRT keep reaching Go that way; the others reach
// it through the notify pipe. (SIGPIPE at its default action is left to the
// kernel; SIGCHLD, SIGURG, SIGWINCH and SIGCONT do nothing by default;
// SIGTSTP, SIGTTIN and SIGTTOU stop the process, which the kernel does
// itself since the Go runtime leaves them alone.)
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
func (f *signalForwarder) start(grace time.Duration) {
	notified := make(chan byte, 16)
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := f.notifyR.Read(buf)
			for _, b := range buf[:n] {
				notified <- b
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
			case s := <-f.ch: // from the Go runtime's own handlers
				f.defaultAction(s.(syscall.Signal))
			case b := <-notified:
				s := syscall.Signal(b &^ C.GK_NOTIFY_DEFAULT)
				if b&C.GK_NOTIFY_DEFAULT != 0 {
					f.defaultAction(s)
					continue
				}
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

// defaultAction carries out a signal's default action, unless the script
// changed its handler while the signal was on its way.
func (f *signalForwarder) defaultAction(s syscall.Signal) {
	switch C.gk_disposition(C.int(s)) {
	case C.GK_DISP_IGNORE:
		return
	case C.GK_DISP_PYTHON:
		C.gk_kill_main(C.int(s))
		return
	}
	flushPython()
	C.gk_die_by_signal(C.int(s))
}

// interruptMain raises KeyboardInterrupt on Python's main thread: as Ctrl-C
// does when SIGINT has a Python handler (which also ends a blocking call
// there), otherwise at its next bytecode boundary (Interpreter.Interrupt).
func (f *signalForwarder) interruptMain(in *Interpreter) {
	if C.gk_disposition(C.SIGINT) == C.GK_DISP_PYTHON {
		C.gk_kill_main(C.SIGINT)
		return
	}
	_, _ = in.Interrupt(uint64(C.gk_main_thread_ident()))
}

func (f *signalForwarder) stop() {
	f.stopOnce.Do(func() {
		C.gk_signals_uninstall()
		signal.Stop(f.ch)
		close(f.quit)
	})
}

// lockThread runs f with the goroutine locked to its OS thread.
func lockThread(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f()
}
