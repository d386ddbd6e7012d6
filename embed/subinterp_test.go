package embed_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// supportsOwnGIL reports whether the linked CPython has per-interpreter GILs.
func supportsOwnGIL(t *testing.T) bool {
	info, err := interp(t).Info()
	require.NoError(t, err)
	return info.Version >= "3.12"
}

func TestSubinterpreterRunsIsolatedCode(t *testing.T) {
	in := interp(t)
	sub, err := in.NewSubinterpreter()
	if !supportsOwnGIL(t) {
		require.ErrorContains(t, err, "need CPython 3.12 or newer")
		return
	}
	require.NoError(t, err)
	defer sub.Close()

	require.NoError(t, sub.Do(func(py *embed.Py) error {
		return py.Exec("import sys\nsys.gilkit_marker = 'sub'")
	}))
	do(t, func(py *embed.Py) error {
		assert.Equal(t, false, evalGo(t, py, "hasattr(__import__('sys'), 'gilkit_marker')"), "main does not see the subinterpreter's sys")
		return nil
	})
	var obj *embed.Object
	require.NoError(t, sub.Do(func(py *embed.Py) error {
		assert.Equal(t, "sub", evalGo(t, py, "__import__('sys').gilkit_marker"))
		err := py.Exec("raise ValueError('in sub')")
		var pyErr *embed.PyError
		require.ErrorAs(t, err, &pyErr)
		assert.Equal(t, "ValueError", pyErr.Type)
		obj, err = py.Eval("[1, 2]")
		return err
	}))
	do(t, func(py *embed.Py) error {
		_, err := py.Go(obj)
		assert.ErrorContains(t, err, "another interpreter", "objects do not cross interpreters")
		return nil
	})
	// A panic inside the subinterpreter's closure reaches the caller.
	assert.PanicsWithValue(t, "sub boom", func() { _ = sub.Do(func(*embed.Py) error { panic("sub boom") }) })
	require.NoError(t, sub.Do(func(py *embed.Py) error { return py.Exec("pass") }), "still usable after a panic")

	require.NoError(t, sub.Close())
	assert.ErrorIs(t, sub.Do(func(*embed.Py) error { return nil }), embed.ErrClosed)
	require.NoError(t, sub.Close(), "closing twice is harmless")
}

func TestSubinterpretersRunConcurrently(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("per-interpreter GIL needs CPython 3.12+; TestSubinterpreterRunsIsolatedCode checks the error")
	}
	in := interp(t)
	n := max(2, runtime.NumCPU())
	subs := make([]*embed.Subinterpreter, n)
	for i := range subs {
		s, err := in.NewSubinterpreter()
		require.NoError(t, err)
		subs[i] = s
	}
	var wg sync.WaitGroup
	results := make([]any, n)
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, s.Do(func(py *embed.Py) error {
				require.NoError(t, py.Exec("def countdown(n):\n    while n > 0:\n        n -= 1\n    return 'done'\n", embed.Globals(mustNamespace(t, py))))
				results[i] = evalGo(t, py, "sum(range(100000))")
				return nil
			}))
		}()
	}
	wg.Wait()
	for i := range results {
		assert.Equal(t, int64(4999950000), results[i])
	}
	for _, s := range subs {
		require.NoError(t, s.Close())
	}
}

func mustNamespace(t *testing.T, py *embed.Py) *embed.Object {
	ns, err := py.Namespace("t")
	require.NoError(t, err)
	return ns
}
