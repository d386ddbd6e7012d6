package embed

import (
	"bytes"
	"reflect"
	"runtime"

	"github.com/gilkit/gilkit/embed/internal/gid"
)

// "Is this goroutine inside a Do closure?" has two answers, for two kinds
// of caller:
//
//   - A token (*Py) records the goroutine it was made for (gid.Current at
//     Do) and is usable only there, only until its closure returns, and
//     only while its thread is attached: checkToken runs on every use and
//     costs one comparison in the common case.
//   - Code that holds no token (Close, a Do that starts while Close runs)
//     looks for inClosure's frame, or a Go function Python called, on the
//     goroutine's stack: insideClosure. It costs microseconds, so only the
//     paths where a wrong answer would deadlock pay for it; no hot path
//     does.
//
// A subinterpreter's closures run on its owner goroutine, which
// Subinterpreter compares by goroutine id (subinterp.go).

// checkToken panics when the token is used outside its closure, from
// another goroutine, or where its thread is detached under it (inside
// Py.Detach, or a Go function that Python called with the GIL released).
// The checks cost a few nanoseconds.
func (py *Py) checkToken() {
	// Every use of a token runs this: one test in the common case.
	if py == nil || py.g != gid.Current() || py.done || suspensions.n.Load() != 0 {
		py.checkTokenSlow()
	}
}

// checkTokenSlow panics with the reason the token cannot be used, if any:
// a suspension somewhere in the process sends every check here.
func (py *Py) checkTokenSlow() {
	if py == nil {
		panic(tokenMisuse)
	}
	g := gid.Current()
	if py.g != g {
		panic(tokenWrongGoroutine)
	}
	if py.done {
		panic(tokenMisuse)
	}
	if s := innermostSuspension(g); s != py.under {
		panic(s.msg)
	}
}

// inClosure calls fn. Its frame on a goroutine's stack marks a goroutine
// that runs a Do closure (see insideClosure), so it is never inlined.
//
//go:noinline
func inClosure(py *Py, fn func(py *Py) error) error { return fn(py) }

// doClosureFrames are the functions whose frames mark a goroutine that runs
// a Do closure (of the main interpreter or a subinterpreter).
// A Go function that Python called through the module gilkit counts too:
// its in.Do is part of the work Close waits for.
var doClosureFrames []string

// (Set in init: Do itself depends on insideClosure, which reads them.)
func init() {
	doClosureFrames = []string{funcName(inClosure) + "(", funcName(gkCallFunc) + "("}
}

func funcName(f any) string {
	return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
}

// insideClosure reports whether the calling goroutine runs inside a Do
// closure, by looking for inClosure on its stack. It costs a few
// microseconds and is used only where a wrong answer would deadlock (Close)
// or where speed does not matter (Do while closing); the hot paths never
// pay for it.
func insideClosure() bool {
	buf := make([]byte, 8<<10)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, f := range doClosureFrames {
		if bytes.Contains(buf, []byte(f)) {
			return true
		}
	}
	return false
}
