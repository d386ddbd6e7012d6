package embed_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/embed/internal/cthread"
)

// attachAgain is a Go function whose Fn attaches anew with in.Do.
var attachAgain = sync.OnceValue(func() error {
	in, err := embed.Default()
	if err != nil {
		return err
	}
	return in.Register(embed.Func{Name: "t_attach_again", Fn: func(in *embed.Interpreter, _ []any) (any, error) {
		return "attached", in.Do(func(py *embed.Py) error { return py.Exec("x = [1, 2, 3]") })
	}})
})

// A C library's thread calls Python through PyGILState_Ensure/Release, and
// that Python code calls a Go function that attaches with in.Do. The thread
// state it attaches with is CPython's, destroyed by the Release: gilkit must
// not keep it for the thread's next Do (it would restore a freed thread
// state).
func TestDoOnAThreadThatACLibraryStarted(t *testing.T) {
	require.NoError(t, attachAgain())
	var fn *embed.Object
	do(t, func(py *embed.Py) error {
		var err error
		fn, err = py.Eval("lambda: __import__('gilkit').t_attach_again()")
		return err
	})
	defer fn.Close()
	require.NoError(t, cthread.Call(embed.ObjectPointer(fn), 20))
	runtime.KeepAlive(fn)
	// The interpreter is fine afterwards.
	do(t, func(py *embed.Py) error { return py.Exec("pass") })
}

// subCallbackSrc runs in a subinterpreter: a ctypes callback called by C
// code on the subinterpreter's own thread (qsort), and one called from a
// thread that C code starts (pthread_create), on which PyGILState_Ensure
// attaches the main interpreter (CPython gh-101767).
const subCallbackSrc = `
import sys, ctypes
ran = []
libc = ctypes.CDLL(None)
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
def cmp(a, b):
    import sys
    ran.append(("qsort", getattr(sys, "gilkit_marker", "main")))
    return 0
arr = (ctypes.c_int * 2)(1, 2)
libc.qsort(arr, 2, 4, CMP(cmp))
START = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)
def start(arg):
    import sys
    ran.append(("thread", getattr(sys, "gilkit_marker", "main")))
    return None
callback = START(start)
tid = ctypes.c_ulong()
assert libc.pthread_create(ctypes.byref(tid), None, callback, None) == 0
libc.pthread_join(tid, None)
`

// A subinterpreter's ctypes callback runs where CPython attached it to
// that subinterpreter; called from a thread that C code started, where
// PyGILState_Ensure attaches the main interpreter instead, it does not run
// (it would run the subinterpreter's objects in the main interpreter):
// Python reports a RuntimeError that names the limit.
func TestSubinterpreterCtypesCallbackOnAForeignThread(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("no subinterpreters before 3.12")
	}
	in := interp(t)
	sub, err := in.NewSubinterpreter()
	require.NoError(t, err)
	defer sub.Close()
	if err := sub.Do(func(py *embed.Py) error { return py.Exec("import ctypes") }); err != nil {
		// 3.12's ctypes is not loadable in subinterpreters at all.
		var pyErr *embed.PyError
		require.ErrorAs(t, err, &pyErr)
		require.Equal(t, "ImportError", pyErr.Type)
		t.Skip("ctypes cannot be imported in a subinterpreter here: ", pyErr.Message)
	}
	// The main interpreter records what is reported there.
	do(t, func(py *embed.Py) error {
		return py.Exec("import sys\nsys.gilkit_unraisable = []\nsys.gilkit_saved_hook = sys.unraisablehook\nsys.unraisablehook = lambda u: sys.gilkit_unraisable.append(f'{type(u.exc_value).__name__}: {u.exc_value}')")
	})
	defer do(t, func(py *embed.Py) error {
		return py.Exec("import sys\nsys.unraisablehook = sys.gilkit_saved_hook")
	})
	var ran any
	require.NoError(t, sub.Do(func(py *embed.Py) error {
		ns, err := py.Namespace("callbacks")
		require.NoError(t, err)
		defer ns.Close()
		if err := py.Exec("import sys\nsys.gilkit_marker = 'sub'\n"+subCallbackSrc, embed.Globals(ns)); err != nil {
			return err
		}
		ran = evalGo(t, py, "ran", embed.Globals(ns))
		return nil
	}))
	assert.Equal(t, []any{embed.Tuple{"qsort", "sub"}}, ran, "the qsort callback ran in the subinterpreter; the thread's did not run at all")
	var reported any
	do(t, func(py *embed.Py) error { reported = evalGo(t, py, "__import__('sys').gilkit_unraisable"); return nil })
	require.Len(t, reported, 1)
	msg := reported.([]any)[0].(string)
	assert.Contains(t, msg, "RuntimeError: gilkit: a ctypes callback of a subinterpreter was called on a thread that CPython attached to another interpreter")
	assert.Contains(t, msg, "gh-101767")
}

// sqlite3 calls a function made with create_function through
// PyGILState_Ensure on the thread that runs the query: on a subinterpreter's
// own thread that is the subinterpreter (CPython 3.12+ makes the thread
// state last attached on a thread the one PyGILState_Ensure finds), also
// when the query releases the GIL around sqlite3_step.
func TestSubinterpreterSqliteCallbackRunsInTheSubinterpreter(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("no subinterpreters before 3.12")
	}
	sub, err := interp(t).NewSubinterpreter()
	require.NoError(t, err)
	defer sub.Close()
	require.NoError(t, sub.Do(func(py *embed.Py) error {
		require.NoError(t, py.Exec("import sys\nsys.gilkit_marker = 'sub'"))
		got := evalGo(t, py, `(lambda sqlite3: (lambda con: (con.create_function("whereami", 0, lambda: getattr(__import__("sys"), "gilkit_marker", "main")), con.execute("select whereami()").fetchone()[0])[1])(sqlite3.connect(":memory:")))(__import__("sqlite3"))`)
		assert.Equal(t, "sub", got)
		return nil
	}))
}
