package embed_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// lifetimeFuncs registers t_collect: it runs Go's garbage collector until a
// cleanup has queued some reference (or 300 ms have passed) and then drops
// the queued references, as any goroutine leaving a Do does.
var lifetimeFuncs = sync.OnceValue(func() error {
	in, err := embed.Default()
	if err != nil {
		return err
	}
	return in.Register(embed.Func{Name: "t_collect", Fn: func(in *embed.Interpreter, _ []any) (any, error) {
		before := in.PendingReleases()
		for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline) && in.PendingReleases() <= before; {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		return nil, in.Do(func(py *embed.Py) error { return py.Exec("pass") })
	}})
})

// lifetimeSrc's Probe reports its reference count before and after
// t_collect, from inside the C call Go made with it.
const lifetimeSrc = `
import sys, gilkit
class Probe:
    def measure(self):
        before = sys.getrefcount(self)
        gilkit.t_collect()
        return f"{before} {sys.getrefcount(self)}"
    def __str__(self):
        return self.measure()
    @property
    def prop(self):
        return self.measure()
    def __call__(self, *args, **kwargs):
        return self.measure()
`

// An *Object whose last use in Go is the C call that uses it stays alive
// until that call returns: Go's garbage collector must not queue its
// reference while C (and the Python code it runs) still uses the object.
func TestObjectsStayAliveWhileCUsesThem(t *testing.T) {
	require.NoError(t, lifetimeFuncs())
	in := interp(t)
	var ns *embed.Object
	do(t, func(py *embed.Py) error {
		var err error
		ns, err = py.Namespace("lifetime")
		require.NoError(t, err)
		return py.Exec(lifetimeSrc, embed.Globals(ns))
	})
	defer ns.Close()
	probe := func(py *embed.Py) *embed.Object {
		o, err := py.Eval("Probe()", embed.Globals(ns))
		require.NoError(t, err)
		return o
	}
	tests := []struct {
		name string
		run  func(py *embed.Py) string // the object's last use is in it
	}{
		{"Py.Str", func(py *embed.Py) string {
			s, err := py.Str(probe(py))
			require.NoError(t, err)
			return s
		}},
		{"Py.Attr", func(py *embed.Py) string { return goString(t, py)(py.Attr(probe(py), "prop")) }},
		{"Py.Call attached", func(py *embed.Py) string { return goString(t, py)(py.Call(probe(py))) }},
		{"Py.Call with arguments", func(py *embed.Py) string { return goString(t, py)(py.Call(probe(py), 1)) }},
		{"Py.CallKw", func(py *embed.Py) string {
			return goString(t, py)(py.CallKw(probe(py), nil, map[string]any{"k": 1}))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			do(t, func(py *embed.Py) error {
				got = tc.run(py)
				return nil
			})
			assertSameCount(t, got)
		})
	}
	// The first call of a Do, and Interpreter.Call, attach and call in
	// one step.
	newProbe := func() *embed.Object {
		var o *embed.Object
		do(t, func(py *embed.Py) error { o = probe(py); return nil })
		return o
	}
	t.Run("Py.Call first use", func(t *testing.T) {
		o := newProbe()
		var got string
		do(t, func(py *embed.Py) error {
			r, err := py.Call(o)
			got = goString(t, py)(r, err)
			return nil
		})
		assertSameCount(t, got)
	})
	t.Run("Interpreter.Call", func(t *testing.T) {
		r, err := in.Call(newProbe())
		require.NoError(t, err)
		var got string
		do(t, func(py *embed.Py) error { got = goString(t, py)(r, nil); return nil })
		assertSameCount(t, got)
	})
}

// goString converts a result to a Go string and closes it.
func goString(t *testing.T, py *embed.Py) func(*embed.Object, error) string {
	return func(o *embed.Object, err error) string {
		require.NoError(t, err)
		defer o.Close()
		v, err := py.Go(o)
		require.NoError(t, err)
		return v.(string)
	}
}

func assertSameCount(t *testing.T, got string) {
	t.Helper()
	var before, after int
	_, err := fmt.Sscan(got, &before, &after)
	require.NoError(t, err, got)
	assert.Equal(t, before, after, "the object's reference was dropped while C used it (reference counts before and after)")
}
