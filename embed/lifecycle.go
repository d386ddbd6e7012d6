package embed

import (
	"context"
	"sync"
	"sync/atomic"
)

// An Interpreter's life, and the one place its state is kept:
//
//	Start ─► running ─Close─► closing ─► finalizing ─► finalized
//	            └─ Command.Run's program ends (fence) ─┘
//
//   - running: Do works from any goroutine.
//   - closing: Close has begun (or Command.Run's program ended). A Do from
//     outside a running closure returns ErrClosed; one nested in a running
//     closure still works: it is part of the work Close waits for.
//   - finalizing: nothing may attach any more. Close waits for active to
//     drop to zero once more, then Python's main thread finalizes.
//   - finalized: every method returns ErrClosed and Start ErrFinalized;
//     interpState.dead is set, so queued references are dropped without
//     touching Python.
//
// Whether a goroutine is inside a closure is closure.go's question.

// lifecycle is the state of one Interpreter, embedded in it.
type lifecycle struct {
	// active counts goroutines inside Do (and gilkit's own short
	// attaches); Close waits for it to drop to zero.
	active     atomic.Int64
	closing    atomic.Bool // no new work from outside a closure
	finalizing atomic.Bool // nothing may attach any more
	idleMu     sync.Mutex
	idle       chan struct{} // closed when active drops to 0 while closing
	closeMu    sync.Mutex    // serializes Close calls
	closed     bool          // finalized by Close (under closeMu)

	// finalize asks Python's main thread to finalize, with the channel
	// for its answer.
	finalize chan chan error
	// mainCalls carries closures to run on Python's main thread (DoMain);
	// mainThreadDone is closed when that thread stops serving them.
	mainCalls      chan func()
	mainThreadDone chan struct{}
}

// The process's: one interpreter per process, started once.
var (
	startMu   sync.Mutex
	running   *Interpreter // the started interpreter, until finalized
	finalized error        // why Start can no longer succeed
	// runningInterp is the process's interpreter, even once finalized:
	// the one Go functions called from Python receive.
	runningInterp atomic.Pointer[Interpreter]
	// mainInterpState is the main interpreter's state, for errors taken where
	// no token is at hand.
	mainInterpState atomic.Pointer[interpState]
)

func (l *lifecycle) init() {
	l.finalize = make(chan chan error)
	l.mainCalls = make(chan func())
	l.mainThreadDone = make(chan struct{})
}

// markRunning makes in the process's interpreter; the caller holds startMu.
func (in *Interpreter) markRunning() {
	running = in
	mainInterpState.Store(in.mainInterp)
	runningInterp.Store(in)
}

// markFinalized records that CPython is finalized: Start can never succeed
// again.
func markFinalized() {
	startMu.Lock()
	running = nil
	finalized = ErrFinalized
	startMu.Unlock()
}

// stopNewWork moves straight to finalizing (Command.Run's end): closing
// first, since enterDo looks at finalizing only while closing.
func (l *lifecycle) stopNewWork() {
	l.closing.Store(true)
	l.finalizing.Store(true)
}

// enterDo counts a Do. Once Close has begun, only a Do nested in a running
// closure may start: it is part of the work Close waits for. Telling it
// apart needs a look at the goroutine's stack, which costs a few
// microseconds, so it happens only while closing.
func (l *lifecycle) enterDo() bool {
	l.active.Add(1)
	if l.closing.Load() { // finalizing implies closing
		return l.enterDoWhileClosing()
	}
	return true
}

func (l *lifecycle) enterDoWhileClosing() bool {
	if l.finalizing.Load() || !insideClosure() {
		l.leaveActive()
		return false
	}
	return true
}

// enterActive counts gilkit's own short work (delivering an interrupt,
// listing what runs); whileClosing lets it start after Close has begun.
func (l *lifecycle) enterActive(whileClosing bool) bool {
	l.active.Add(1)
	if l.finalizing.Load() || (l.closing.Load() && !whileClosing) {
		l.leaveActive()
		return false
	}
	return true
}

// leaveActive undoes enterDo or enterActive and wakes Close when it was the
// last. The atomics order this against Close: either Close sees the count,
// or the one who entered sees closing/finalizing and backs out.
func (l *lifecycle) leaveActive() {
	if l.active.Add(-1) == 0 && l.closing.Load() {
		l.idleMu.Lock()
		if l.idle != nil {
			close(l.idle)
			l.idle = nil
		}
		l.idleMu.Unlock()
	}
}

// waitIdle waits until no goroutine is inside Do.
func (l *lifecycle) waitIdle(ctx context.Context) error {
	for {
		l.idleMu.Lock()
		if l.active.Load() == 0 {
			l.idleMu.Unlock()
			return nil
		}
		if l.idle == nil {
			l.idle = make(chan struct{})
		}
		idle := l.idle
		l.idleMu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
