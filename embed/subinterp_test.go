package embed_test

import (
	"fmt"
	"os"
	"path/filepath"
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

// barrierSrc is the body of TestSubinterpretersRunConcurrently's closures:
// each subinterpreter marks itself running in a shared mmap and spins until
// all are marked, without ever releasing its GIL (no blocking call, and a
// switch interval of 1000 s). Subinterpreters that shared one GIL could not
// all be marked at once: the first would spin holding it until the deadline.
const barrierSrc = `
import mmap, os, sys, time
sys.setswitchinterval(1000)
fd = os.open(PATH, os.O_RDWR)
shared = mmap.mmap(fd, N)
os.close(fd)
shared[I] = 1
deadline = time.monotonic() + 20
result = "timed out: the others never ran while this one held its GIL"
while time.monotonic() < deadline:
    if all(shared[j] for j in range(N)):
        result = "all running at once"
        break
shared.close()
`

// TestSubinterpretersRunConcurrently checks that subinterpreters really have
// a GIL each: their closures all run at the same moment (see barrierSrc).
func TestSubinterpretersRunConcurrently(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("per-interpreter GIL needs CPython 3.12+; TestSubinterpreterRunsIsolatedCode checks the error")
	}
	in := interp(t)
	n := max(2, runtime.NumCPU())
	path := filepath.Join(t.TempDir(), "barrier")
	require.NoError(t, os.WriteFile(path, make([]byte, n), 0o600))
	subs := make([]*embed.Subinterpreter, n)
	for i := range subs {
		s, err := in.NewSubinterpreter()
		require.NoError(t, err)
		subs[i] = s
		defer s.Close()
	}
	var wg sync.WaitGroup
	results := make([]any, n)
	errs := make([]error, n)
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Do(func(py *embed.Py) error {
				ns, err := py.Namespace("barrier")
				if err != nil {
					return err
				}
				defer ns.Close()
				params := fmt.Sprintf("PATH = %q\nN = %d\nI = %d\n", path, n, i)
				if err := py.Exec(params, embed.Globals(ns)); err != nil {
					return err
				}
				if err := py.Exec(barrierSrc, embed.Globals(ns)); err != nil {
					return err
				}
				r, err := py.Eval("result", embed.Globals(ns))
				if err != nil {
					return err
				}
				results[i], err = py.Go(r)
				return err
			})
		}()
	}
	wg.Wait()
	for i := range subs {
		require.NoError(t, errs[i])
		assert.Equal(t, "all running at once", results[i], "subinterpreter %d", i)
	}
}

func mustNamespace(t *testing.T, py *embed.Py) *embed.Object {
	ns, err := py.Namespace("t")
	require.NoError(t, err)
	return ns
}
