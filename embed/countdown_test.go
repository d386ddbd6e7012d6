package embed_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// countdownFuncs are the Go functions the tests' Python code calls: a Go
// loop that releases the GIL (gilkit.countdown) and the same loop holding it
// (gilkit.countdown_held). embed registers nothing by itself; TestMain
// registers these before any interpreter starts, so child processes running
// a Command have them too.
var countdownFuncs = []embed.Func{
	{Name: "countdown", Doc: "countdown(n) -> 0: a Go loop, GIL released", NArgs: 1, Fn: countdown},
	{Name: "countdown_held", Doc: "countdown_held(n) -> 0: the same loop, GIL held", NArgs: 1, Fn: countdown, HoldGIL: true},
}

// countdown counts n down in Go, a multiply-add a step so that the loop
// cannot be folded away, and returns what n reached (n itself when < 0).
func countdown(_ *embed.Interpreter, args []any) (any, error) {
	n, ok := args[0].(int64)
	if !ok {
		return nil, &embed.PyError{Type: "TypeError", Message: fmt.Sprintf("countdown() needs an int that fits in 64 bits, not %T", args[0])}
	}
	x := uint64(n)
	for n > 0 {
		x = x*6364136223846793005 + 1442695040888963407
		n--
	}
	countdownSink.Store(x)
	return n, nil
}

// countdownSink keeps the loop observable (atomic: threads run it at once).
var countdownSink atomic.Uint64

// bareScenarios are the child scenarios that start with nothing registered.
var bareScenarios = map[string]bool{"start-registers-nothing": true}

func init() {
	childScenarios["start-registers-nothing"] = startRegistersNothing
}

// startRegistersNothing: a program's Start adds no function of gilkit's own
// to module gilkit; only the module's exception types are there.
func startRegistersNothing() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	defer in.Close()
	return in.Do(func(py *embed.Py) error {
		names, err := py.Eval("sorted(n for n in dir(__import__('gilkit')) if not n.startswith('_'))")
		if err != nil {
			return err
		}
		defer names.Close()
		got, err := py.Go(names)
		if err != nil {
			return err
		}
		fmt.Printf("gilkit has %v\n", got)
		return nil
	})
}

func TestStartRegistersNothing(t *testing.T) {
	out := runInChild(t, "start-registers-nothing")
	assert.Contains(t, out, "gilkit has [GoError GoPanic]\n")
}

func TestCountdownFuncs(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{"gilkit.countdown(1000)", int64(0)},
		{"gilkit.countdown_held(1000)", int64(0)},
		{"gilkit.countdown(-3)", int64(-3)},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			require.Equal(t, tc.want, pyRun(t, "import gilkit\nr = "+tc.src, "r"))
		})
	}
}
