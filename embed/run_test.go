package embed_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func evalGo(t *testing.T, py *embed.Py, expr string, opts ...embed.RunOption) any {
	t.Helper()
	o, err := py.Eval(expr, opts...)
	require.NoError(t, err)
	defer o.Close()
	v, err := py.Go(o)
	require.NoError(t, err)
	return v
}

func TestExecRunsInAFreshNamespaceEachTime(t *testing.T) {
	do(t, func(py *embed.Py) error {
		require.NoError(t, py.Exec("secret = 42"))
		_, err := py.Eval("secret")
		var pyErr *embed.PyError
		require.ErrorAs(t, err, &pyErr)
		assert.Equal(t, "NameError", pyErr.Type)
		assert.Equal(t, "__gilkit__", evalGo(t, py, "__name__"))
		// __main__ is untouched.
		assert.Equal(t, false, evalGo(t, py, "hasattr(__import__('__main__'), 'secret')"))
		return nil
	})
}

func TestGlobalsAreSharedWhenAsked(t *testing.T) {
	do(t, func(py *embed.Py) error {
		ns, err := py.Namespace("shared")
		require.NoError(t, err)
		defer ns.Close()
		require.NoError(t, py.Exec("def countdown(n):\n    while n > 0:\n        n -= 1\n    return n\n", embed.Globals(ns)))
		assert.Equal(t, int64(0), evalGo(t, py, "countdown(1000)", embed.Globals(ns)))
		assert.Equal(t, "shared", evalGo(t, py, "__name__", embed.Globals(ns)))
		return nil
	})
}

func TestAsMainRunsInMain(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "script.py")
	require.NoError(t, os.WriteFile(file, []byte("if __name__ == '__main__':\n    ran_as_main = __file__\n"), 0o644))
	do(t, func(py *embed.Py) error {
		require.NoError(t, py.ExecFile(file, embed.AsMain()))
		assert.Equal(t, file, evalGo(t, py, "__import__('__main__').ran_as_main"))
		require.NoError(t, py.Exec("del __import__('__main__').ran_as_main"))
		return nil
	})
}

func TestExecFileMissing(t *testing.T) {
	do(t, func(py *embed.Py) error {
		err := py.ExecFile(filepath.Join(t.TempDir(), "nope.py"))
		assert.ErrorIs(t, err, os.ErrNotExist)
		return nil
	})
}

func TestImportAttrAndCall(t *testing.T) {
	do(t, func(py *embed.Py) error {
		mathMod, err := py.Import("math")
		require.NoError(t, err)
		defer mathMod.Close()
		pow, err := py.Attr(mathMod, "pow")
		require.NoError(t, err)
		r, err := py.Call(pow, 2, 10)
		require.NoError(t, err)
		v, err := py.Go(r)
		require.NoError(t, err)
		assert.Equal(t, 1024.0, v)

		fmtFn, err := py.Eval("lambda a, b=0, *, sep='-': f'{a}{sep}{b}'")
		require.NoError(t, err)
		r, err = py.CallKw(fmtFn, []any{"x"}, map[string]any{"b": 7, "sep": "+"})
		require.NoError(t, err)
		s, err := py.Str(r)
		require.NoError(t, err)
		assert.Equal(t, "x+7", s)

		_, err = py.Import("no_such_module_gilkit")
		var pyErr *embed.PyError
		require.ErrorAs(t, err, &pyErr)
		assert.Equal(t, "ModuleNotFoundError", pyErr.Type)

		_, err = py.Attr(mathMod, "nope")
		require.ErrorAs(t, err, &pyErr)
		assert.Equal(t, "AttributeError", pyErr.Type)

		_, err = py.Call(mathMod)
		require.ErrorAs(t, err, &pyErr)
		assert.Equal(t, "TypeError", pyErr.Type)
		return nil
	})
}

func TestCaptureStdoutAndStderr(t *testing.T) {
	do(t, func(py *embed.Py) error {
		var out, errOut bytes.Buffer
		err := py.Exec("import sys\nprint('to out')\nprint('to err', file=sys.stderr)\nraise ValueError('after output')",
			embed.Stdout(&out), embed.Stderr(&errOut))
		assert.Error(t, err, "the exception is still returned")
		assert.Equal(t, "to out\n", out.String())
		assert.Equal(t, "to err\n", errOut.String())

		// Only stdout captured: nothing of stderr lands in the buffer.
		out.Reset()
		require.NoError(t, py.Exec("import sys\nprint('a')\nsys.stderr.write('')", embed.Stdout(&out)))
		assert.Equal(t, "a\n", out.String())
		return nil
	})
}

func TestCaptureIsPerGoroutine(t *testing.T) {
	const n = 8
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, interp(t).Do(func(py *embed.Py) error {
				return py.Exec(fmt.Sprintf("import time\nfor k in range(20):\n    print('g%d', k)\n    time.sleep(0.0005)", i), embed.Stdout(&outs[i]))
			}))
		}()
	}
	wg.Wait()
	for i := range n {
		var want bytes.Buffer
		for k := range 20 {
			fmt.Fprintf(&want, "g%d %d\n", i, k)
		}
		assert.Equal(t, want.String(), outs[i].String(), "goroutine %d got only its own output", i)
	}
}

func TestObjectCloseIsSafeAnywhere(t *testing.T) {
	in := interp(t)
	var obj *embed.Object
	do(t, func(py *embed.Py) error {
		var err error
		obj, err = py.Eval("object()")
		return err
	})
	obj.Close() // not attached: queued, not dropped
	obj.Close() // twice: harmless
	do(t, func(py *embed.Py) error {
		_, err := py.Go(obj)
		assert.ErrorContains(t, err, "after Close")
		assert.Equal(t, 1, in.PendingReleases(), "nothing touched Python yet")
		return py.Exec("pass")
	})
	assert.Zero(t, in.PendingReleases(), "leaving a Do that attached drops queued references")
}

// resetCaptureSrc puts the streams back as they were before gilkit's first
// capture and forgets the capture module, so that the next capture is a
// "first use" again.
const resetCaptureSrc = `
import sys
for name in ("stdout", "stderr"):
    s = getattr(sys, name)
    while type(s).__name__ == "Router":
        s = s._fallback
    setattr(sys, name, s)
sys.modules.pop("_gilkit_capture", None)
`

// TestCaptureFirstUsedByManyGoroutinesAtOnce: 64 goroutines start capturing
// at the same moment, on an interpreter where nobody has captured yet, over
// many rounds. Every capture must hold exactly its own output. (The router
// used to be installed without a lock: on 3.13t some captures came back
// empty, their output neither in the buffer nor on stdout.)
func TestCaptureFirstUsedByManyGoroutinesAtOnce(t *testing.T) {
	in := interp(t)
	const goroutines, rounds = 64, 30
	for round := range rounds {
		do(t, func(py *embed.Py) error { return py.Exec(resetCaptureSrc) })
		var ready, wg sync.WaitGroup
		start := make(chan struct{})
		outs := make([]bytes.Buffer, goroutines)
		errs := make([]error, goroutines)
		ready.Add(goroutines)
		for i := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ready.Done()
				<-start
				errs[i] = in.Do(func(py *embed.Py) error {
					return py.Exec(fmt.Sprintf("print('round %d goroutine %d')", round, i), embed.Stdout(&outs[i]))
				})
			}()
		}
		ready.Wait()
		close(start)
		wg.Wait()
		for i := range goroutines {
			require.NoError(t, errs[i])
			require.Equal(t, fmt.Sprintf("round %d goroutine %d\n", round, i), outs[i].String(), "round %d, goroutine %d lost its output", round, i)
		}
	}
}
