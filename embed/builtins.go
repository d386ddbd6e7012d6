package embed

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// The functions every embedded interpreter's module gilkit has, for the
// experiments: the same Go loop with the GIL released and held.
var builtinFuncs = []Func{
	{
		Name:  "countdown",
		Doc:   "countdown(n) -> 0\n\nCounts n down to zero in Go (a multiply-add a step), with the GIL released\n(other Python threads run meanwhile). The loop is pyexamples/gopyext's Countdown.",
		NArgs: 1,
		Fn:    countdownFunc,
	},
	{
		Name:    "countdown_held",
		Doc:     "countdown_held(n) -> 0\n\nThe same Go loop as countdown(n), with the GIL held: on a GIL build no other\nPython thread runs until it returns.",
		NArgs:   1,
		Fn:      countdownFunc,
		HoldGIL: true,
	},
}

var registerBuiltins = sync.OnceValue(func() error {
	_, err := register(builtinFuncs)
	return err
})

func countdownFunc(_ *Interpreter, args []any) (any, error) {
	n, ok := args[0].(int64)
	if !ok {
		return nil, &PyError{Type: "TypeError", Message: fmt.Sprintf("countdown() needs an int that fits in 64 bits, not %T", args[0])}
	}
	return Countdown(n), nil
}

// countdownSink keeps the loop's result observable (atomic: Python threads
// run the loop concurrently).
var countdownSink atomic.Uint64

// Countdown counts n down to zero and returns the value it reached (0, or n
// itself when n is negative): the Go twin of the article's Python
// countdown, and the loop of gilkit.countdown. Each step advances a 64-bit
// linear congruential generator as well, as pyexamples/gopyext's Countdown
// does (see there why: a bare decrement is timed by the core's neighbour,
// not by the GIL).
func Countdown(n int64) int64 {
	x := uint64(n)
	for n > 0 {
		x = x*6364136223846793005 + 1442695040888963407
		n--
	}
	countdownSink.Store(x)
	return n
}
