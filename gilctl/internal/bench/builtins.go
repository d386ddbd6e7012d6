package bench

import (
	"fmt"
	"sync"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/pyexamples/gopyext"
)

// goFuncs are the Go functions gilbench.py's go-release and go-held
// workloads call: the same Go loop with the GIL released and held.
var goFuncs = []embed.Func{
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

// A name can be registered once per process (which has one interpreter).
var (
	registerMu sync.Mutex
	registered *embed.Interpreter
)

// RegisterGoFuncs adds gilkit.countdown and gilkit.countdown_held to in's
// module gilkit; calling it again for the same interpreter does nothing.
func RegisterGoFuncs(in *embed.Interpreter) error {
	registerMu.Lock()
	defer registerMu.Unlock()
	if registered == in {
		return nil
	}
	if err := in.Register(goFuncs...); err != nil {
		return fmt.Errorf("registering gilkit.countdown: %w", err)
	}
	registered = in
	return nil
}

func countdownFunc(_ *embed.Interpreter, args []any) (any, error) {
	n, ok := args[0].(int64)
	if !ok {
		return nil, &embed.PyError{Type: "TypeError", Message: fmt.Sprintf("countdown() needs an int that fits in 64 bits, not %T", args[0])}
	}
	// int is 64 bits on every platform gilkit builds for (linux/amd64,
	// linux/arm64); gopy binds int, hence gopyext's signature.
	return int64(gopyext.Countdown(int(n))), nil
}
