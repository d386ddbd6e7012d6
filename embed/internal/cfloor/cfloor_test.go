package cfloor_test

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/embed/internal/cfloor"
)

func TestMain(m *testing.M) {
	if _, err := embed.Default(); err != nil {
		fmt.Fprintln(os.Stderr, "starting CPython:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// The probe counts the calls of the function the floors call, and how many
// of them ran on a thread state that had not run it before: a
// threading.local lives in the thread state, so a call on a new thread
// state finds it empty. embed sets the probe up and reads it; cfloor only
// calls.
const probeSetup = `
import sys, threading, types
probe = sys.modules.setdefault("cfloor_probe", types.ModuleType("cfloor_probe"))
probe.calls = probe.fresh = 0
probe.local = threading.local()
`

const probeFunc = `
import cfloor_probe as probe

def call():
    probe.calls += 1
    if not getattr(probe.local, "seen", False):
        probe.local.seen = True
        probe.fresh += 1
`

// resetProbe zeroes the probe's counts, with a new threading.local.
func resetProbe(t *testing.T) {
	t.Helper()
	in, err := embed.Default()
	require.NoError(t, err)
	require.NoError(t, in.Do(func(py *embed.Py) error { return py.Exec(probeSetup) }))
}

// probeCall sets the probe up and compiles the function that counts on it.
func probeCall(t *testing.T) *cfloor.Func {
	t.Helper()
	resetProbe(t)
	fn, err := cfloor.Compile(probeFunc, "call")
	require.NoError(t, err)
	return fn
}

// probeCounts reads the probe: calls made, and how many of them on a thread
// state new to the probe.
func probeCounts(t *testing.T) (calls, fresh int64) {
	t.Helper()
	in, err := embed.Default()
	require.NoError(t, err)
	require.NoError(t, in.Do(func(py *embed.Py) error {
		o, err := py.Eval(`(__import__("cfloor_probe").calls, __import__("cfloor_probe").fresh)`)
		if err != nil {
			return err
		}
		defer o.Close()
		v, err := py.Go(o)
		if err != nil {
			return err
		}
		tuple := v.(embed.Tuple)
		calls, fresh = tuple[0].(int64), tuple[1].(int64)
		return nil
	}))
	return calls, fresh
}

// spreadEmbedThreadStates gives many of Go's threads a thread state of
// embed's, so that NewThread has threads to reject: goroutines locked to
// their threads each run a Do, and wait for all the others before letting
// their thread go.
func spreadEmbedThreadStates(t *testing.T, n int) {
	t.Helper()
	in, err := embed.Default()
	require.NoError(t, err)
	var attached, wg sync.WaitGroup
	attached.Add(n)
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			errs <- in.Do(func(py *embed.Py) error { return py.Exec("pass") })
			attached.Done()
			attached.Wait()
		}()
	}
	wg.Wait()
	for range n {
		require.NoError(t, <-errs)
	}
}

// TestFloorsCallThePythonFunction checks that each floor makes n calls of
// the function, on the thread states it claims: one kept for the thread
// (the probe sees one new thread state), or a new one per call.
func TestFloorsCallThePythonFunction(t *testing.T) {
	fn := probeCall(t)
	const n = 50
	floors := []struct {
		name  string
		pep   bool
		call  func(*cfloor.Thread, *cfloor.Func, int) error
		fresh int64 // calls on a thread state new to the probe
	}{
		{"CallKeptC", false, (*cfloor.Thread).CallKeptC, 1},
		{"CallGILState", false, (*cfloor.Thread).CallGILState, n},
		{"CallEnsure", true, (*cfloor.Thread).CallEnsure, n},
		{"CallEnsureKept", true, (*cfloor.Thread).CallEnsureKept, 1},
		{"CallGuardedKeptC", true, (*cfloor.Thread).CallGuardedKeptC, 1},
	}
	for _, fl := range floors {
		t.Run(fl.name, func(t *testing.T) {
			spreadEmbedThreadStates(t, 16)
			th, err := cfloor.NewThread()
			require.NoError(t, err)
			defer th.Close()
			resetProbe(t)
			err = fl.call(th, fn, n)
			if fl.pep && !cfloor.HasPEP788 {
				require.ErrorIs(t, err, cfloor.ErrNoPEP788)
				calls, _ := probeCounts(t)
				require.Zero(t, calls)
				return
			}
			require.NoError(t, err)
			calls, fresh := probeCounts(t)
			require.Equal(t, int64(n), calls, "calls of the Python function")
			require.Equal(t, fl.fresh, fresh, "calls on a thread state new to the probe")
		})
	}
}

// TestNewThreadSkipsEmbedsThreads: with many of Go's threads keeping a
// thread state of embed's, each Thread NewThread finds still has none, so
// that every PyGILState_Ensure of the GILState floor creates one.
func TestNewThreadSkipsEmbedsThreads(t *testing.T) {
	spreadEmbedThreadStates(t, 16)
	fn := probeCall(t)
	for range 10 {
		th, err := cfloor.NewThread()
		require.NoError(t, err)
		resetProbe(t)
		require.NoError(t, th.CallGILState(fn, 10))
		th.Close()
		calls, fresh := probeCounts(t)
		require.Equal(t, int64(10), calls)
		require.Equal(t, int64(10), fresh, "calls on a thread state new to the probe")
	}
}

// TestKeptThenUnseen: a GILState floor after a kept floor on one Thread
// deletes cfloor's kept thread state first, so that each of its calls still
// gets a new one; the kept floor after it gets a new kept thread state.
func TestKeptThenUnseen(t *testing.T) {
	fn := probeCall(t)
	th, err := cfloor.NewThread()
	require.NoError(t, err)
	defer th.Close()
	resetProbe(t)
	require.NoError(t, th.CallKeptC(fn, 10))
	require.NoError(t, th.CallGILState(fn, 10))
	require.NoError(t, th.CallKeptC(fn, 10))
	calls, fresh := probeCounts(t)
	require.Equal(t, int64(30), calls)
	require.Equal(t, int64(1+10+1), fresh)
}

// TestThreadsComeAndGo: Threads made, used with a kept thread state and
// closed one after another (each Close deletes cfloor's thread state and
// gives the OS thread back to Go, where the next NewThread may find it),
// and then a GILState floor that still gets a new thread state per call.
func TestThreadsComeAndGo(t *testing.T) {
	fn := probeCall(t)
	for range 20 {
		th, err := cfloor.NewThread()
		require.NoError(t, err)
		require.NoError(t, th.CallKeptC(fn, 3))
		th.Close()
		th.Close() // a second Close does nothing
	}
	th, err := cfloor.NewThread()
	require.NoError(t, err)
	defer th.Close()
	resetProbe(t)
	require.NoError(t, th.CallGILState(fn, 5))
	calls, fresh := probeCounts(t)
	require.Equal(t, int64(5), calls)
	require.Equal(t, int64(5), fresh)
}

// TestFailuresAreReported: a function that raises makes every floor fail,
// not measure a call that did nothing.
func TestFailuresAreReported(t *testing.T) {
	fn, err := cfloor.Compile("def boom():\n    raise ValueError('boom')\n", "boom")
	require.NoError(t, err)
	th, err := cfloor.NewThread()
	require.NoError(t, err)
	defer th.Close()
	require.ErrorContains(t, th.CallKeptC(fn, 3), "3 of 3 calls failed")
	require.ErrorContains(t, th.CallGILState(fn, 3), "3 of 3 calls failed")
	if cfloor.HasPEP788 {
		require.ErrorContains(t, th.CallEnsure(fn, 3), "3 of 3 calls failed")
		require.ErrorContains(t, th.CallEnsureKept(fn, 3), "3 of 3 calls failed")
		require.ErrorContains(t, th.CallGuardedKeptC(fn, 3), "3 of 3 calls failed")
	}
}

func TestCompileErrors(t *testing.T) {
	_, err := cfloor.Compile("def f(:\n", "f")
	require.ErrorContains(t, err, "SyntaxError")
	_, err = cfloor.Compile("x = 1\n", "f")
	require.ErrorContains(t, err, "no callable")
	_, err = cfloor.Compile("x = 1\n", "x")
	require.ErrorContains(t, err, "no callable")
}

// TestHasPEP788 checks HasPEP788 against the running interpreter's version.
func TestHasPEP788(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	info, err := in.Info()
	require.NoError(t, err)
	var major, minor int
	_, err = fmt.Sscanf(info.Version, "%d.%d", &major, &minor)
	require.NoError(t, err, "version %q", info.Version)
	require.Equal(t, major > 3 || major == 3 && minor >= 15, cfloor.HasPEP788, "CPython %s", info.Version)
}

func TestCrossings(t *testing.T) {
	cfloor.Crossings(100) // nothing to observe but that it returns
}
