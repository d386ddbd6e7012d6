package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gilkit/gilkit/embed/internal/gid"
)

// Py is the proof that the current goroutine is attached to an interpreter.
// It is handed to the closure of [Interpreter.Do] or [Subinterpreter.Do] and
// is valid only inside that closure, on that goroutine: it is bound to the
// goroutine at the start of the closure, and every use checks both. Using it
// after the closure returned, inside Py.Detach, inside a Go function that
// Python called with the GIL released, or from another goroutine panics with
// a message saying which (a thread that is not attached would crash CPython;
// a clear panic is the better failure).
//
// Tokens are reused from closure to closure. So a token kept after its
// closure returned may, rarely, be the very token of a later closure of the
// same goroutine and interpreter; used inside that closure it then works as
// that closure's token does (its thread is attached there), instead of
// panicking. Do not keep tokens.
type Py struct {
	st *interpState
	ts *C.PyThreadState // the subinterpreter's thread state; nil for the main interpreter
	g  uintptr          // the goroutine the closure runs on (gid.Current)
	// attached is set once this closure attached its thread. Do attaches
	// lazily, on the first use of the token, so that the first call into
	// Python and the attach share one cgo crossing (see Py.Call).
	attached bool
	done     bool
	intr     *Interrupter // opened by Py.Interrupter, closed with the closure
	// under is the innermost suspension of the goroutine when the token
	// was made (see suspend.go): inside any other, its thread is detached.
	under *suspension
}

const (
	tokenMisuse         = "embed: Py token used outside the Do closure it was given to"
	tokenWrongGoroutine = "embed: Py token used on a goroutine other than the one running its Do closure (a token is bound to its goroutine and OS thread; call Do on this goroutine instead)"
)

// tokens are reused: allocating one per Do would be the largest cost Go
// adds to a short closure. A token goes back when its closure ends (finish).
var tokens = sync.Pool{New: func() any { return new(Py) }}

// newToken makes the token of a closure that runs on the calling goroutine.
func newToken(st *interpState, ts *C.PyThreadState) *Py {
	py := tokens.Get().(*Py)
	*py = Py{st: st, ts: ts, g: gid.Current()}
	if suspensions.n.Load() != 0 {
		py.under = innermostSuspension(py.g)
	}
	return py
}

// check is checkToken, then attaches on first use.
func (py *Py) check() {
	py.checkToken()
	if !py.attached {
		py.entered(py.enter())
	}
}

func (py *Py) enter() C.int {
	if py.ts != nil {
		return C.gk_enter_sub(py.ts)
	}
	return C.gk_enter_main()
}

// entered records the result of attaching. Attaching to one interpreter
// inside a closure of another is a programming error, like misusing the
// token, and panics.
func (py *Py) entered(rc C.int) {
	if rc != C.GK_OK {
		panic(ErrOtherInterpreter.Error() + " (Do of one interpreter inside a Do of another)")
	}
	py.attached = true
}

// interpState is what the Go side keeps per interpreter (main or sub).
type interpState struct {
	name   string
	interp *Interpreter // the process's Interpreter (the parent of a subinterpreter)
	// dead is set once the interpreter is finalized or destroyed: queued
	// references are then dropped without touching Python.
	dead atomic.Bool

	// References released by Object.Close or a finalizer while not
	// attached; dropped by the next goroutine that used Python and leaves
	// a Do.
	pendingMu sync.Mutex
	pending   []uintptr
	npending  atomic.Int32
}

func (st *interpState) release(p uintptr) {
	if st.dead.Load() {
		return
	}
	st.pendingMu.Lock()
	st.pending = append(st.pending, p)
	st.npending.Store(int32(len(st.pending)))
	st.pendingMu.Unlock()
}

// drain drops queued references; the caller is attached to st's interpreter.
func (st *interpState) drain() {
	if st.npending.Load() == 0 {
		return
	}
	st.pendingMu.Lock()
	batch := st.pending
	st.pending = nil
	st.npending.Store(0)
	st.pendingMu.Unlock()
	if len(batch) > 0 {
		C.gk_decref_many((*C.uintptr_t)(unsafe.Pointer(&batch[0])), C.int(len(batch)))
	}
}

// Do attaches the calling goroutine to the interpreter, runs fn, and
// detaches. The goroutine is locked to its OS thread meanwhile. Do nests:
// calling Do again inside fn reuses the attachment. fn's error is returned
// as is; a panic in fn detaches first and then propagates (so does
// runtime.Goexit, as t.FailNow uses). Calling the Do of a subinterpreter's
// token inside another interpreter's Do panics.
//
// The attach itself happens on the first use of the token, folded into the
// first call into Python where possible: a closure that never touches py
// never waits for the GIL.
//
// On a GIL build only one goroutine runs Python at a time; on a
// free-threaded build with the GIL off, goroutines inside Do run Python in
// parallel. To bound the Python code by a context, use [Interpreter.DoContext].
//
// # Deadlocks
//
// From the first use of py until fn returns, the goroutine holds the GIL on
// a GIL build (except while Python itself releases it, in time.sleep or I/O,
// and inside [Py.Detach]); on a free-threaded build it is attached, and a
// stop-the-world pause of the garbage collector waits for it. While it is
// held, every other goroutine's Do and every Python thread waits at its
// first use of Python. So inside fn, never block on something that another
// goroutine can only provide after attaching: a channel receive, a
// sync.WaitGroup, a mutex that is held around another Do. Wrap such waits in
// py.Detach. The same holds for locks the other way round: do not call Do
// while holding a mutex that code inside some Do waits for.
//
// gilkit's own blocking calls detach for you: Subinterpreter.Do,
// NewSubinterpreter and Close called inside fn release the interpreter while
// they wait. Close inside fn returns an error (it would wait for fn itself);
// Subinterpreter.Do of the subinterpreter whose closure is running returns an
// error too.
func (in *Interpreter) Do(fn func(py *Py) error) (err error) {
	if !in.enterDo() {
		return ErrClosed
	}
	g, ok := in.guard()
	if !ok {
		in.leaveActive()
		return ErrClosed
	}
	if g.p != nil {
		defer g.close() // after endDo has detached
	}
	runtime.LockOSThread()
	py := newToken(in.mainInterp, nil)
	// One deferred call does all the unwinding: this is the hot path.
	defer in.endDo(py, &err)
	return inClosure(py, fn)
}

// endDo ends a Do: the closure's end (see finish), then the thread's lock
// and the count of work in progress.
func (in *Interpreter) endDo(py *Py, err *error) {
	py.finish(err)
	runtime.UnlockOSThread()
	in.leaveActive()
}

// runWithToken runs fn with py and ends the closure (see finish). The
// caller has locked the goroutine to its thread.
func runWithToken(py *Py, fn func(py *Py) error) (err error) {
	defer py.finish(&err)
	return inClosure(py, fn)
}

// finish ends the closure of py: the token becomes invalid, its interrupt
// window closes and, if it attached, queued references are dropped and the
// thread detaches. An exception that a Python signal handler raised as the
// closure ended (while gilkit dropped an interrupt that came too late) is
// joined to the closure's error.
func (py *Py) finish(err *error) {
	py.done = true
	if py.intr == nil && py.attached && py.st.npending.Load() == 0 {
		// The common case, in a few instructions.
		if e := C.gk_leave(); e != nil {
			*err = errors.Join(*err, takeCError(e))
		}
	} else {
		py.finishSlow(err)
	}
	tokens.Put(py) // done stays set while it waits for its next closure
}

// finishSlow is finish for a closure with an interrupt window or references
// to drop, or one that never attached.
func (py *Py) finishSlow(err *error) {
	var late error
	if py.intr != nil {
		late = py.intr.close()
	}
	if py.attached {
		py.st.drain()
		if e := leave(); e != nil {
			late = errors.Join(late, e)
		}
	}
	if late != nil {
		*err = errors.Join(*err, late)
	}
	py.intr = nil
}

// leave undoes one gk_enter; its error is a signal handler's exception
// (see gk_leave).
func leave() error {
	return takeCError(C.gk_leave())
}

// takeCError converts and frees a malloc'd gk_error (nil: no error).
func takeCError(e *C.gk_error) error {
	if e == nil {
		return nil
	}
	err := takeError(e)
	C.free(unsafe.Pointer(e))
	return err
}

// Detach releases the interpreter while f runs Go code that does not touch
// Python (I/O, waiting, heavy computation), then attaches again. Other
// goroutines and Python threads run meanwhile. f may call Do to attach anew;
// neither this token nor the token of any Do closure around it may be used
// inside f (that panics: their thread is detached there).
//
// # Deadlocks
//
// Detach is how a closure waits for other goroutines without deadlocking
// (see Do). Reattaching at the end of f waits for the GIL like any attach.
// An interrupt (Interrupter, DoContext) that arrives while f runs does not
// stop f: it is raised in the Python code that runs after Detach returns.
func (py *Py) Detach(f func()) {
	py.checkToken()
	suspend(py.g, &suspension{msg: detachMsg})
	defer resume(py.g)
	if !py.attached {
		f()
		return
	}
	saved := C.gk_detach_begin()
	defer C.gk_detach_end(saved)
	f()
}

// waitDetached runs wait, which blocks until another goroutine has done
// something, with this thread's thread state released if it has one
// attached (through gilkit's Do or because Python called into Go): the
// other goroutine may need the GIL to get there, and on free-threaded builds
// a stop-the-world pause would otherwise wait for this thread.
func waitDetached(wait func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	saved := C.gk_detach_any()
	defer C.gk_reattach(saved)
	wait()
}
