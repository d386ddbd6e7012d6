package embed

import (
	"fmt"
	"sync"

	"github.com/gilkit/gilkit/pyexamples/gopyext"
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
	// int is 64 bits on every platform gilkit builds for (linux/amd64,
	// linux/arm64); gopy binds int, hence gopyext's signature.
	return int64(gopyext.Countdown(int(n))), nil
}
