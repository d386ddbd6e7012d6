package embed

import (
	"sync"
	"sync/atomic"
)

// A suspension is a stretch of a goroutine during which its thread is
// detached although tokens of closures that are still running on it were
// attached: inside Py.Detach, and inside a Go function that Python called
// with the GIL released. Those tokens must not be used there (CPython would
// run without a thread state); tokens made inside the stretch (a Do in the
// Go function) belong to it and may.
//
// Each goroutine's suspensions nest, so a token records the innermost
// suspension of its goroutine when it was made (under), and is suspended
// exactly while that goroutine's innermost suspension is another one.
//
// A suspension is identified by its address, so each stretch gets its own
// (a recursive Go function pushes one per call).
type suspension struct {
	msg string // the panic message for a token used inside it
}

// suspensions maps a goroutine (gid.Current) to its stack of suspensions.
// Only that goroutine changes or reads its own stack, so the lock guards
// the map, not the stacks' meaning. n counts goroutines with a suspension:
// while it is 0, which is nearly always, a token check costs one atomic
// load and never takes the lock.
var suspensions struct {
	n  atomic.Int32
	mu sync.RWMutex
	m  map[uintptr][]*suspension
}

// suspend pushes s for goroutine g; the caller pops it with resume.
func suspend(g uintptr, s *suspension) {
	suspensions.mu.Lock()
	if suspensions.m == nil {
		suspensions.m = map[uintptr][]*suspension{}
	}
	stack := suspensions.m[g]
	if len(stack) == 0 {
		suspensions.n.Add(1)
	}
	suspensions.m[g] = append(stack, s)
	suspensions.mu.Unlock()
}

// resume pops goroutine g's innermost suspension.
func resume(g uintptr) {
	suspensions.mu.Lock()
	stack := suspensions.m[g]
	if len(stack) <= 1 {
		delete(suspensions.m, g)
		suspensions.n.Add(-1)
	} else {
		suspensions.m[g] = stack[:len(stack)-1]
	}
	suspensions.mu.Unlock()
}

// innermostSuspension returns goroutine g's innermost suspension, or nil.
func innermostSuspension(g uintptr) *suspension {
	if suspensions.n.Load() == 0 {
		return nil
	}
	suspensions.mu.RLock()
	stack := suspensions.m[g]
	suspensions.mu.RUnlock()
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

// detachMsg is the message of Py.Detach's suspensions.
const detachMsg = "embed: Py token used inside Py.Detach, where its thread is detached (call in.Do inside Detach for a token of its own)"

// goFuncMsg is the message of the suspensions of a Go function that Python
// called with the GIL released (made once per registered function).
func goFuncMsg(name string) string {
	return "embed: Py token used inside gilkit." + name + ", a Go function that Python called with the GIL released: " +
		"the thread is detached there, so the token of the Do closure around that call cannot be used. " +
		"Call in.Do inside the function (in is its *Interpreter argument) for a token of its own, or register it with HoldGIL"
}
