package embed_test

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// rendezvous lets a Go function wait for Python code on another thread
// (see TestGoFunctionReleasesTheGIL).
var (
	rendezvous = make(chan struct{}, 1)
	entered    atomic.Bool // a wait has begun
)

// testFuncs are registered once in the test process: gilkit has one module
// per process, and a name can be registered once.
var testFuncs = sync.OnceValue(func() error {
	in, err := embed.Default()
	if err != nil {
		return err
	}
	callBack := func(in *embed.Interpreter, args []any) (any, error) {
		var out any
		err := in.Do(func(py *embed.Py) error {
			r, err := py.Call(args[0].(*embed.Object), args[1:]...)
			if err != nil {
				return err
			}
			defer r.Close()
			out, err = py.Go(r)
			return err
		})
		return out, err
	}
	wait := func(_ *embed.Interpreter, args []any) (any, error) {
		entered.Store(true)
		select {
		case <-rendezvous:
			return true, nil
		case <-time.After(time.Duration(args[0].(float64) * float64(time.Second))): // seconds, a float
			return false, nil
		}
	}
	return in.Register(
		embed.Func{Name: "t_echo", NArgs: 1, Fn: func(_ *embed.Interpreter, args []any) (any, error) { return args[0], nil }},
		embed.Func{Name: "t_types", NArgs: embed.AnyArgs, Fn: func(_ *embed.Interpreter, args []any) (any, error) {
			var names []any
			for _, a := range args {
				names = append(names, fmt.Sprintf("%T", a))
			}
			return names, nil
		}},
		embed.Func{Name: "t_go_values", Fn: func(*embed.Interpreter, []any) (any, error) {
			return map[string]any{"int": 7, "big": new(big.Int).Lsh(big.NewInt(1), 100), "float": 1.5,
				"str": "héllo", "bytes": []byte{0, 1}, "list": []int{1, 2}, "tuple": embed.Tuple{true, nil}}, nil
		}},
		embed.Func{Name: "t_fail", NArgs: 1, Fn: func(_ *embed.Interpreter, args []any) (any, error) {
			return nil, fmt.Errorf("go says no to %v", args[0])
		}},
		embed.Func{Name: "t_value_error", Fn: func(*embed.Interpreter, []any) (any, error) {
			return nil, &embed.PyError{Type: "ValueError", Message: "bad value from Go"}
		}},
		embed.Func{Name: "t_panic", NArgs: 1, Fn: func(_ *embed.Interpreter, args []any) (any, error) {
			panic(fmt.Sprintf("boom %v", args[0]))
		}},
		embed.Func{Name: "t_panic_held", HoldGIL: true, Fn: func(*embed.Interpreter, []any) (any, error) {
			var m map[string]int
			m["x"] = 1 // a runtime error panic: assignment to entry in nil map
			return nil, nil
		}},
		embed.Func{Name: "t_bad_result", Fn: func(*embed.Interpreter, []any) (any, error) { return make(chan int), nil }},
		embed.Func{Name: "t_call", NArgs: embed.AnyArgs, Fn: callBack},
		embed.Func{Name: "t_call_held", NArgs: embed.AnyArgs, Fn: callBack, HoldGIL: true},
		embed.Func{Name: "t_call_wrapped", NArgs: 2, Fn: func(in *embed.Interpreter, args []any) (any, error) {
			_, err := callBack(in, args)
			return nil, fmt.Errorf("while calling back: %w", err)
		}},
		// t_goroutines calls args[0](i) from args[1] goroutines that it
		// starts (threads Python has never seen), and returns the results.
		embed.Func{Name: "t_goroutines", NArgs: 2, Fn: func(in *embed.Interpreter, args []any) (any, error) {
			n := int(args[1].(int64))
			out := make([]any, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { out[i], errs[i] = callBack(in, []any{args[0], i}) })
			}
			wg.Wait()
			return out, errors.Join(errs...)
		}},
		embed.Func{Name: "t_wait", NArgs: 1, Fn: wait},
		embed.Func{Name: "t_wait_held", NArgs: 1, Fn: wait, HoldGIL: true},
		embed.Func{Name: "t_entered", Fn: func(*embed.Interpreter, []any) (any, error) { return entered.Swap(false), nil }},
		embed.Func{Name: "t_arrive", Fn: func(*embed.Interpreter, []any) (any, error) {
			rendezvous <- struct{}{}
			return nil, nil
		}},
	)
})

// pyRun runs src in a fresh namespace with gilkit's test functions
// registered and returns the Go value of the expression result.
func pyRun(t *testing.T, src, result string) any {
	t.Helper()
	require.NoError(t, testFuncs())
	var v any
	do(t, func(py *embed.Py) error {
		ns, err := py.Namespace("gilkit_test")
		require.NoError(t, err)
		defer ns.Close()
		require.NoError(t, py.Exec(src, embed.Globals(ns)))
		v = evalGo(t, py, result, embed.Globals(ns))
		return nil
	})
	return v
}

func TestGoFunctionConvertsArguments(t *testing.T) {
	tests := []struct {
		arg  string
		want any // what the Go function saw, echoed back to Python
		goT  string
	}{
		{"None", nil, "<nil>"},
		{"True", true, "bool"},
		{"-42", int64(-42), "int64"},
		{"2**80", new(big.Int).Lsh(big.NewInt(1), 80), "*big.Int"},
		{"0.25", 0.25, "float64"},
		{"'naïve ✓'", "naïve ✓", "string"},
		{"b'\\x00\\xff'", []byte{0, 0xff}, "[]uint8"},
		{"[1, 'a', [2.5]]", []any{int64(1), "a", []any{2.5}}, "[]interface {}"},
		{"(1, None)", embed.Tuple{int64(1), nil}, "embed.Tuple"},
		{"{'k': 1}", map[any]any{"k": int64(1)}, "map[interface {}]interface {}"},
		{"object()", nil, "*embed.Object"}, // no Go equivalent: passed through
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			back := "back"
			if tc.goT == "*embed.Object" {
				back = "back is arg" // no Go equivalent: it comes back as itself
				tc.want = true
			}
			got := pyRun(t, "import gilkit\narg = "+tc.arg+"\nback = gilkit.t_echo(arg)\ntypes = gilkit.t_types(arg)",
				"("+back+", types)")
			res := got.(embed.Tuple)
			assert.Equal(t, []any{tc.goT}, res[1])
			assert.Equal(t, tc.want, res[0])
		})
	}
}

func TestGoFunctionConvertsResults(t *testing.T) {
	got := pyRun(t, "import gilkit\nv = gilkit.t_go_values()", "(v, sorted(type(x).__name__ for x in v.values()))")
	res := got.(embed.Tuple)
	assert.Equal(t, map[any]any{"int": int64(7), "big": new(big.Int).Lsh(big.NewInt(1), 100), "float": 1.5,
		"str": "héllo", "bytes": []byte{0, 1}, "list": []any{int64(1), int64(2)}, "tuple": embed.Tuple{true, nil}}, res[0])
	assert.Equal(t, []any{"bytes", "float", "int", "int", "list", "str", "tuple"}, res[1])
}

// Errors and panics of Go functions are Python exceptions, and the process
// (and the interpreter) go on.
func TestGoFunctionErrorsBecomeExceptions(t *testing.T) {
	tests := []struct {
		call     string
		exc      string
		contains []string
	}{
		{"gilkit.t_fail('x')", "gilkit.GoError", []string{"go says no to x"}},
		{"gilkit.t_value_error()", "ValueError", []string{"bad value from Go"}},
		{"gilkit.t_panic(3)", "gilkit.GoPanic", []string{"gilkit.t_panic panicked: boom 3", "Go stack:", "module_test.go"}},
		{"gilkit.t_panic_held()", "gilkit.GoPanic", []string{"assignment to entry in nil map"}},
		{"gilkit.t_bad_result()", "gilkit.GoError", []string{"gilkit.t_bad_result: converting its result", "chan int"}},
		{"gilkit.t_echo()", "TypeError", []string{"t_echo() takes 1 argument (0 given)"}},
		{"gilkit.t_echo(1, x=2)", "TypeError", []string{"no keyword arguments"}},
		{"gilkit.countdown('ten')", "TypeError", []string{"countdown() needs an int"}},
	}
	for _, tc := range tests {
		t.Run(tc.call, func(t *testing.T) {
			src := "import gilkit\ntry:\n    " + tc.call + "\n    r = None\nexcept Exception as e:\n" +
				"    r = (type(e).__module__ + '.' + type(e).__qualname__).removeprefix('builtins.'), str(e), isinstance(e, RuntimeError)"
			got := pyRun(t, src, "r")
			require.NotNil(t, got, "%s raised nothing", tc.call)
			res := got.(embed.Tuple)
			assert.Equal(t, tc.exc, res[0])
			for _, s := range tc.contains {
				assert.Contains(t, res[1], s)
			}
			if strings.HasPrefix(tc.exc, "gilkit.") {
				assert.Equal(t, true, res[2], "GoError and GoPanic are RuntimeErrors")
			}
		})
	}
	// Still alive, and the functions still work.
	assert.Equal(t, int64(0), pyRun(t, "import gilkit\nr = gilkit.countdown(1000)", "r"))
}

// An exception raised by Python code that a Go function called back into
// comes out of the Go function as the same exception, traceback included.
func TestGoFunctionPassesBackPythonExceptions(t *testing.T) {
	src := `import gilkit, traceback
raised = []
def inner(x):
    e = KeyError(x)
    raised.append(e)
    raise e
out = {}
for name in ("t_call", "t_call_held", "t_call_wrapped"):
    try:
        getattr(gilkit, name)(inner, name)
    except KeyError as e:
        out[name] = (e is raised[-1], "in inner" in "".join(traceback.format_exception(e)), getattr(e, "__notes__", []))
`
	got := pyRun(t, src, "out").(map[any]any)
	for _, name := range []string{"t_call", "t_call_held", "t_call_wrapped"} {
		assert.Equal(t, embed.Tuple{true, true, []any{}}, got[name], name)
	}
}

// Go code calls back into Python from goroutines it starts (threads Python
// has never seen), from Python threads and goroutines that called it.
func TestGoFunctionCallsBackFromItsGoroutines(t *testing.T) {
	src := `import gilkit, threading
def square(i):
    return i * i
results = []
def worker():
    results.append(gilkit.t_goroutines(square, 4))
threads = [threading.Thread(target=worker) for _ in range(3)]
for th in threads: th.start()
for th in threads: th.join()
results.append(gilkit.t_goroutines(square, 4))
`
	want := []any{int64(0), int64(1), int64(4), int64(9)}
	assert.Equal(t, []any{want, want, want, want}, pyRun(t, src, "results"))

	// And from goroutines attached with Do, each calling Python that calls Go.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			got := pyRun(t, "import gilkit\nr = gilkit.t_goroutines(lambda i: i + "+fmt.Sprint(i)+", 2)", "r")
			assert.Equal(t, []any{int64(i), int64(i + 1)}, got)
		})
	}
	wg.Wait()
}

// Python threads call the tests' countdowns concurrently (run it with
// -race): both finish with the right result, on GIL and free-threaded
// builds alike.
func TestPythonThreadsCallGoFunctions(t *testing.T) {
	src := `import gilkit, threading
out = []
def worker(i):
    f = gilkit.countdown if i % 2 else gilkit.countdown_held
    for _ in range(20):
        out.append(f(10_000 + i))
    out.append(gilkit.countdown(-i))
threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for th in threads: th.start()
for th in threads: th.join()
`
	got := pyRun(t, src, "sorted(out)").([]any)
	require.Len(t, got, 84)
	assert.Equal(t, []any{int64(-3), int64(-2), int64(-1)}, got[:3])
	for _, v := range got[3:] {
		assert.Equal(t, int64(0), v)
	}
}

// Whether a Go function lets other Python threads run while it works,
// observed without timing it: the Go function waits until Python code on
// another thread has run, and that thread starts only once the wait has
// begun. With the GIL released it runs; with it held, on a GIL build, it
// cannot run until the wait gives up.
func TestGoFunctionReleasesTheGIL(t *testing.T) {
	info, err := interp(t).Info()
	require.NoError(t, err)
	src := `import gilkit, threading, time
def run(wait, timeout):
    gilkit.t_entered()  # forget earlier waits
    met = []
    w = threading.Thread(target=lambda: met.append(wait(timeout)))
    w.start()
    while not gilkit.t_entered():
        time.sleep(0.001)
    a = threading.Thread(target=gilkit.t_arrive)
    a.start()
    w.join()
    a.join()
    if not met[0]:
        wait(60.0)  # take what t_arrive sent after the wait gave up
    return met[0]
`
	assert.Equal(t, true, pyRun(t, src+"r = run(gilkit.t_wait, 60.0)", "r"), "the released function saw the other thread run")
	want := !info.GILEnabled // without a GIL, holding it stops nobody
	assert.Equal(t, want, pyRun(t, src+"r = run(gilkit.t_wait_held, 0.2)", "r"), "held function, GIL enabled: %v", info.GILEnabled)
}

// Importing gilkit keeps a free-threaded build free-threaded (the module
// declares Py_MOD_GIL_NOT_USED).
func TestImportingGilkitKeepsTheGILOff(t *testing.T) {
	got := pyRun(t, "import sys, gilkit\ngil = getattr(sys, '_is_gil_enabled', lambda: True)()", "gil")
	switch {
	case !embed.FreeThreaded():
		assert.Equal(t, true, got)
	case os.Getenv("PYTHON_GIL") == "1":
		assert.Equal(t, true, got, "PYTHON_GIL=1 turns it on")
	default:
		assert.Equal(t, false, got, "import gilkit turned the GIL on")
	}
}

func TestGilkitCannotBeImportedInASubinterpreter(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("no subinterpreters with their own GIL before 3.12")
	}
	sub, err := interp(t).NewSubinterpreter()
	require.NoError(t, err)
	defer sub.Close()
	err = sub.Do(func(py *embed.Py) error { return py.Exec("import gilkit") })
	var pyErr *embed.PyError
	require.ErrorAs(t, err, &pyErr)
	assert.Equal(t, "ImportError", pyErr.Type)
	assert.Contains(t, pyErr.Message, "gilkit")
}

func TestRegisterRejectsBadFunctions(t *testing.T) {
	require.NoError(t, testFuncs())
	fn := func(*embed.Interpreter, []any) (any, error) { return nil, nil }
	tests := []struct {
		name string
		f    embed.Func
		err  string
	}{
		{"duplicate", embed.Func{Name: "t_echo", Fn: fn}, "already registered"},
		{"registered by TestMain", embed.Func{Name: "countdown", Fn: fn}, "already registered"},
		{"exception type", embed.Func{Name: "GoError", Fn: fn}, "already registered"},
		{"not an identifier", embed.Func{Name: "two words", Fn: fn}, "not a Python identifier"},
		{"dunder", embed.Func{Name: "__init__", Fn: fn}, "dunder"},
		{"no Fn", embed.Func{Name: "t_nothing"}, "has no Fn"},
		{"bad NArgs", embed.Func{Name: "t_bad", NArgs: -5, Fn: fn}, "NArgs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorContains(t, interp(t).Register(tc.f), tc.err)
		})
	}
}

// A function registered after the module was imported appears in it.
func TestRegisterAfterImport(t *testing.T) {
	pyRun(t, "import gilkit", "None")
	require.NoError(t, interp(t).Register(embed.Func{Name: "t_late", Fn: func(*embed.Interpreter, []any) (any, error) { return "late", nil }}))
	assert.Equal(t, "late", pyRun(t, "import gilkit\nr = gilkit.t_late()", "r"))
}
