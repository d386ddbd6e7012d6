package embed_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// The seed corpora live in testdata/fuzz/FuzzRoundTrip and
// testdata/fuzz/FuzzExec (and run as ordinary tests with go test); make
// fuzz runs each target for a bounded time per interpreter.

// FuzzRoundTrip: Go -> Python -> Go is the identity, for every value the
// conversion documents (with its documented type changes: ints come back as
// int64 or *big.Int, maps as map[any]any, Tuples as Tuples).
func FuzzRoundTrip(f *testing.F) {
	f.Add("héllo", []byte{0, 1, 255}, int64(-1), uint64(math.MaxUint64), 1.5, true)
	f.Add("", []byte{}, int64(math.MinInt64), uint64(0), math.Inf(-1), false)
	f.Add("tab\tnew line\n", []byte("\x00"), int64(42), uint64(1)<<63, math.NaN(), true)
	in, err := embed.Default()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, s string, b []byte, i int64, u uint64, fl float64, flag bool) {
		bn := new(big.Int).SetBytes(b)
		if flag {
			bn.Neg(bn)
		}
		value := []any{s, b, i, u, fl, flag, nil, embed.Tuple{s, i}, map[string]any{s: b}, bn}
		var back any
		err := in.Do(func(py *embed.Py) error {
			o, err := py.Object(value)
			if err != nil {
				return err
			}
			defer o.Close()
			// Through a Python call too, so Python really holds the copy.
			copyFn, err := py.Eval("lambda v: [x for x in v]")
			if err != nil {
				return err
			}
			defer copyFn.Close()
			r, err := py.Call(copyFn, o)
			if err != nil {
				return err
			}
			defer r.Close()
			back, err = py.Go(r)
			return err
		})
		require.NoError(t, err)
		got := back.([]any)
		require.Len(t, got, len(value))
		require.Equal(t, s, got[0], "string")
		require.True(t, bytes.Equal(b, got[1].([]byte)), "bytes: %q vs %q", b, got[1])
		require.Equal(t, i, got[2], "int64")
		requireIntEqual(t, new(big.Int).SetUint64(u), got[3], "uint64")
		require.Equal(t, math.Float64bits(fl), math.Float64bits(got[4].(float64)), "float64 %v vs %v", fl, got[4])
		require.Equal(t, flag, got[5], "bool")
		require.Nil(t, got[6], "nil")
		require.Equal(t, embed.Tuple{s, i}, got[7], "tuple")
		require.Equal(t, map[any]any{s: normBytes(b)}, normMap(got[8]), "dict")
		requireIntEqual(t, bn, got[9], "big.Int")
	})
}

// requireIntEqual compares a Python int converted to Go (int64 when it fits,
// *big.Int otherwise) with want.
func requireIntEqual(t *testing.T, want *big.Int, got any, what string) {
	t.Helper()
	switch g := got.(type) {
	case int64:
		require.True(t, want.IsInt64() && want.Int64() == g, "%s: want %v, got int64 %v", what, want, g)
	case *big.Int:
		require.False(t, want.IsInt64(), "%s: %v fits in int64 but came back as *big.Int", what, want)
		require.Zero(t, want.Cmp(g), "%s: want %v, got %v", what, want, g)
	default:
		t.Fatalf("%s: got %T %v", what, got, got)
	}
}

func normBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func normMap(v any) map[any]any {
	m := v.(map[any]any)
	for k, x := range m {
		m[k] = normBytes(x.([]byte))
	}
	return m
}

// fuzzCompileSrc compiles source bytes the way `python FILE` reads a file
// (bytes, so a coding cookie counts) and names the error, if any.
const fuzzCompileSrc = `
def outcome(src):
    try:
        compile(src, "<fuzz>", "exec")
    except BaseException as e:
        return (type(e).__name__, str(e))
    return ("", "")
`

// slowInC matches sources that can make a single C call run for minutes
// (10**10**8, format widths of 300000000, 'x' * 10**9): such a call holds the
// GIL and no interrupt reaches it until it returns (see Interrupter), and the
// fuzzing engine takes an input that runs over 10 s for a crash. The first
// fuzzing runs found f'{1:{2:{3}00000000}}', which took 2-10 s.
var slowInC = regexp.MustCompile(`\*\*|[0-9]{5}`)

// execTimeout bounds one fuzz input's run: inputs that loop are interrupted
// (which fuzzes cancellation too).
const execTimeout = 200 * time.Millisecond

// FuzzExec: any source, run with Exec, never crashes the Go program; it
// fails to compile exactly when Python's own compile() fails, with the same
// error; a run is bounded by DoContext; and the interpreter stays usable.
func FuzzExec(f *testing.F) {
	for _, seed := range []string{
		"x = 1\n",
		"def f(n):\n    return n * 2\nprint(f(21))\n",
		"raise ValueError('boom')\n",
		"import sys\nsys.exit(3)\n",
		"while True:\n    pass\n",
		"for i in range(10):\n    print(i, end=' ')\n",
		"class C:\n    def __del__(self):\n        raise RuntimeError('in del')\nc = C()\ndel c\n",
		"x = (" + strings.Repeat("(", 300) + strings.Repeat(")", 300) + ")\n",
		"# -*- coding: latin-1 -*-\ns = 'caf\xe9'\n",
		"if True:\n\tx = 1\n        y = 2\n",
		"try:\n    1/0\nexcept ZeroDivisionError:\n    pass\n",
		"async def a():\n    await b()\n",
		"lambda: (yield)\n",
		"x = '\\N{GREEK SMALL LETTER ALPHA}'\n",
		"f'{1:{2:{3}}}'\n",
		"import gc\ngc.collect()\n",
	} {
		f.Add(seed)
	}
	in, err := embed.Default()
	require.NoError(f, err)
	var outcomeFn *embed.Object
	require.NoError(f, in.Do(func(py *embed.Py) error {
		ns, err := py.Namespace("fuzz")
		if err != nil {
			return err
		}
		defer ns.Close()
		if err := py.Exec(fuzzCompileSrc, embed.Globals(ns)); err != nil {
			return err
		}
		outcomeFn, err = py.Eval("outcome", embed.Globals(ns))
		return err
	}))
	f.Fuzz(func(t *testing.T, src string) {
		if slowInC.MatchString(src) {
			t.Skip("huge numbers or powers: one C call could hold the GIL for minutes")
		}
		var wantType, wantMsg string
		require.NoError(t, in.Do(func(py *embed.Py) error {
			r, err := py.Call(outcomeFn, []byte(src))
			if err != nil {
				return err
			}
			defer r.Close()
			v, err := py.Go(r)
			if err != nil {
				return err
			}
			tup := v.(embed.Tuple)
			wantType, wantMsg = tup[0].(string), tup[1].(string)
			return nil
		}))

		ctx, cancel := context.WithTimeout(context.Background(), execTimeout)
		defer cancel()
		var out, errOut bytes.Buffer
		err := in.DoContext(ctx, func(py *embed.Py) error {
			return py.Exec(src, embed.Filename("<fuzz>"), embed.Stdout(&out), embed.Stderr(&errOut))
		})
		var pyErr *embed.PyError
		if err != nil && !errors.As(err, &pyErr) {
			t.Fatalf("Exec returned a non-Python error: %v", err)
		}
		compileFailed := pyErr != nil && pyErr.Filename == "<fuzz>" && isCompileError(pyErr.Type)
		if wantType != "" {
			require.NotNil(t, pyErr, "Python's compile() fails with %s: %s, but Exec ran the code", wantType, wantMsg)
			require.Equal(t, wantType, pyErr.Type, "compile error type (Python says %s: %s; Exec says %v)", wantType, wantMsg, pyErr)
			require.Equal(t, wantMsg, pyErr.Message, "compile error message")
		} else {
			require.False(t, compileFailed, "Python's compile() accepts the source, Exec does not: %v", pyErr)
		}

		// Still usable, from this goroutine.
		require.NoError(t, in.Do(func(py *embed.Py) error {
			r, err := py.Eval("6 * 7")
			if err != nil {
				return err
			}
			v, err := py.Go(r)
			if err == nil && v != int64(42) {
				err = errors.New("6 * 7 is not 42 any more")
			}
			return err
		}))
	})
}

// isCompileError reports whether an exception type is one compile() raises
// for bad source.
func isCompileError(typ string) bool {
	switch typ {
	case "SyntaxError", "IndentationError", "TabError", "ValueError", "UnicodeDecodeError", "RecursionError", "MemoryError", "OverflowError":
		return true
	}
	return false
}
