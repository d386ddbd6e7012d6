package embed_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// outerToken is the token of the Do closure whose Python code calls
// t_outer_token; the Go functions below use it as a user who captured it
// in a closure would.
var outerToken atomic.Pointer[embed.Py]

// useOuterToken evaluates 6*7 with the captured token and returns what
// happened: the value, or the panic message.
func useOuterToken(*embed.Interpreter, []any) (any, error) {
	var out any
	func() {
		defer func() {
			if r := recover(); r != nil {
				out = fmt.Sprint("panic: ", r)
			}
		}()
		o, err := outerToken.Load().Eval("6 * 7")
		if err != nil {
			out = "error: " + err.Error()
			return
		}
		defer o.Close()
		out, err = outerToken.Load().Go(o)
		if err != nil {
			out = "error: " + err.Error()
		}
	}()
	return out, nil
}

var tokenFuncs = sync.OnceValue(func() error {
	in, err := embed.Default()
	if err != nil {
		return err
	}
	return in.Register(
		embed.Func{Name: "t_outer_token", Fn: useOuterToken},
		embed.Func{Name: "t_outer_token_held", Fn: useOuterToken, HoldGIL: true},
		// t_own_token attaches anew with in.Do, as the panic message says.
		embed.Func{Name: "t_own_token", Fn: func(in *embed.Interpreter, _ []any) (any, error) {
			var v any
			err := in.Do(func(py *embed.Py) error {
				o, err := py.Eval("6 * 7")
				if err != nil {
					return err
				}
				defer o.Close()
				v, err = py.Go(o)
				return err
			})
			return v, err
		}},
		// t_recurse(n) calls itself through Python n times, each level in
		// a Do of its own, and uses the token of the level above: every
		// one of them is detached.
		embed.Func{Name: "t_recurse", NArgs: 1, Fn: func(in *embed.Interpreter, args []any) (any, error) {
			above := outerToken.Load()
			var v any
			err := in.Do(func(py *embed.Py) error {
				if args[0].(int64) == 0 {
					v, _ = useOuterToken(in, nil)
					return nil
				}
				outerToken.Store(py)
				defer outerToken.Store(above)
				v = evalIn(py, fmt.Sprintf("__import__('gilkit').t_recurse(%d)", args[0].(int64)-1))
				return nil
			})
			return v, err
		}},
		// t_nested_outer: inside a Do of its own, the outer token is
		// still the one whose thread was detached.
		embed.Func{Name: "t_nested_outer", Fn: func(in *embed.Interpreter, args []any) (any, error) {
			var v any
			err := in.Do(func(py *embed.Py) error {
				v, _ = useOuterToken(in, args)
				return nil
			})
			return v, err
		}},
	)
})

// The token of a Do closure, used inside a Go function that Python code of
// that closure called with the GIL released: the thread is detached there,
// so the use panics with a message that says what to do, instead of calling
// CPython without a thread state (SIGSEGV). With HoldGIL the thread stays
// attached and the token works.
func TestTokenInsideAGoFunctionThatReleasedTheGIL(t *testing.T) {
	require.NoError(t, tokenFuncs())
	tests := []struct {
		call string
		want string // a prefix of the result, or the exact value
	}{
		{"t_outer_token", "panic: embed: Py token used inside gilkit.t_outer_token"},
		{"t_nested_outer", "panic: embed: Py token used inside gilkit.t_nested_outer"},
		{"t_outer_token_held", "42"},
		{"t_recurse(3)", "panic: embed: Py token used inside gilkit.t_recurse"},
		{"t_own_token", "42"},
	}
	for _, tc := range tests {
		t.Run(tc.call, func(t *testing.T) {
			do(t, func(py *embed.Py) error {
				outerToken.Store(py)
				defer outerToken.Store(nil)
				call := tc.call
				if !strings.HasSuffix(call, ")") {
					call += "()"
				}
				got := evalGo(t, py, "__import__('gilkit')."+call)
				assert.Contains(t, fmt.Sprint(got), tc.want)
				// The token works again once the function returned.
				assert.Equal(t, int64(2), evalGo(t, py, "1 + 1"))
				return nil
			})
		})
	}
	msg := fmt.Sprint(pyRunGo(t, "t_outer_token"))
	assert.Contains(t, msg, "with the GIL released")
	assert.Contains(t, msg, "in.Do")
}

// evalIn evaluates expr and returns its Go value, or the error's text.
func evalIn(py *embed.Py, expr string) any {
	o, err := py.Eval(expr)
	if err != nil {
		return "error: " + err.Error()
	}
	defer o.Close()
	v, err := py.Go(o)
	if err != nil {
		return "error: " + err.Error()
	}
	return v
}

// pyRunGo calls gilkit.NAME() from a closure whose token is outerToken.
func pyRunGo(t *testing.T, name string) any {
	var got any
	do(t, func(py *embed.Py) error {
		outerToken.Store(py)
		defer outerToken.Store(nil)
		got = evalGo(t, py, "__import__('gilkit')."+name+"()")
		return nil
	})
	return got
}

// The token of an outer Do, used inside the Py.Detach of a nested Do on
// the same goroutine: detached too, so it panics.
func TestOuterTokenInsideANestedDetach(t *testing.T) {
	in := interp(t)
	do(t, func(outer *embed.Py) error {
		assert.Equal(t, int64(2), evalGo(t, outer, "1 + 1"))
		return in.Do(func(inner *embed.Py) error {
			assert.Equal(t, int64(3), evalGo(t, inner, "1 + 2"))
			inner.Detach(func() {
				assert.PanicsWithValue(t, "embed: Py token used inside Py.Detach, where its thread is detached (call in.Do inside Detach for a token of its own)",
					func() { _, _ = outer.Eval("1") })
				// A Do inside the Detach has a token of its own.
				assert.NoError(t, in.Do(func(py *embed.Py) error { return py.Exec("pass") }))
			})
			assert.Equal(t, int64(4), evalGo(t, outer, "2 + 2"))
			return nil
		})
	})
}
