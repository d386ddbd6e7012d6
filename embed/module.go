package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unicode"
	"unsafe"
)

// AnyArgs as Func.NArgs accepts any number of positional arguments.
const AnyArgs = -1

// Func is a Go function that Python code in the embedded interpreter calls
// as gilkit.NAME(...) after `import gilkit` (register it with
// [Interpreter.Register]).
//
// The positional arguments are converted to Go values with the rules of
// [Py.Go] (int64, float64, string, []any, ...) before Fn runs; an argument
// that has no Go equivalent (a function, a class instance) arrives as an
// *Object, valid until Fn returns (keep it longer with py.Object(o), which
// takes a new reference). The result is converted with [Py.Object]'s rules.
//
// Errors become Python exceptions: a *PyError that came from Python code
// (a call back into Python that raised), however Fn wrapped it, is raised
// again as the very same exception object, traceback included; a *PyError that Fn made itself with the Type of
// a built-in exception ("ValueError") raises that type with its Message;
// any other error raises gilkit.GoError with the error's text. A panic in Fn
// is recovered and raises gilkit.GoPanic with the panic value and Fn's
// stack; the process goes on. (A panic in a goroutine Fn started is not
// Fn's, and ends the program as panics do; runtime.Goexit in Fn is not
// allowed: it would unwind CPython's C frames.)
//
// # The GIL
//
// By default the calling thread releases the interpreter (the GIL, on a
// GIL build) while Fn runs, as C extensions do with Py_BEGIN_ALLOW_THREADS:
// other Python threads and goroutines run Python meanwhile, and Fn may
// call in.Do from any goroutine, including its own. With HoldGIL the thread
// stays attached: cheaper for very short functions, but every other Python
// thread waits for Fn on a GIL build.
//
// # Tokens inside Fn
//
// A *Py is usable exactly where its thread is attached. Without HoldGIL the
// thread is detached while Fn runs, so the token of a Do closure whose Python
// code called Fn (one Fn captured from its surroundings) must not be used in
// Fn: using it panics with a message saying so, rather than call CPython
// without a thread state. Call in.Do inside Fn instead: it attaches the
// thread again and gives a token of its own (nested Do on the same goroutine
// is cheap). With HoldGIL the thread stays attached and such a token works.
//
// # Deadlocks
//
// With HoldGIL, Fn runs attached: on a GIL build it holds the GIL, so it
// must not wait for another goroutine that attaches (calls in.Do) or for a
// Python thread; that wait never ends. Fn's own in.Do nests and is fine.
// Without HoldGIL Fn holds nothing, and may wait for anything. On a
// free-threaded build the same rule holds for stop-the-world pauses: a
// HoldGIL function that blocks stalls Python's garbage collector.
type Func struct {
	// Name is the Python name, an identifier ("countdown").
	Name string
	// Doc is the function's __doc__.
	Doc string
	// NArgs is the number of positional arguments Fn takes; AnyArgs for
	// any. A call with another number raises TypeError before Fn runs.
	NArgs int
	// Fn does the work. in is the running interpreter, to call back into
	// Python with in.Do (from Fn's goroutine or any other).
	Fn func(in *Interpreter, args []any) (any, error)
	// HoldGIL keeps the calling thread attached while Fn runs (see The GIL).
	HoldGIL bool
}

// registered is one Func in the handle table, with its C method
// definition (made once: function objects point at it for ever).
type registered struct {
	Func
	id           uintptr
	def          *C.PyMethodDef
	suspendedMsg string // for tokens used while Fn runs with the GIL released
}

// funcs is the handle table: C knows a function only by its id, the index
// into this slice plus one. Registering copies the slice, so calls look
// functions up without a lock.
var (
	funcsMu sync.Mutex
	funcs   atomic.Pointer[[]*registered]
)

func lookupFunc(id uintptr) *registered {
	table := funcs.Load()
	if table == nil || id == 0 || id > uintptr(len(*table)) {
		return nil
	}
	return (*table)[id-1]
}

// register adds fns to the handle table and returns the new entries.
func register(fns []Func) ([]*registered, error) {
	funcsMu.Lock()
	defer funcsMu.Unlock()
	var old []*registered
	if t := funcs.Load(); t != nil {
		old = *t
	}
	seen := map[string]bool{}
	for _, r := range old {
		seen[r.Name] = true
	}
	for _, f := range fns {
		if err := f.validate(); err != nil {
			return nil, err
		}
		if seen[f.Name] || reservedNames[f.Name] {
			return nil, fmt.Errorf("embed: gilkit.%s is already registered", f.Name)
		}
		seen[f.Name] = true
	}
	table := append([]*registered(nil), old...)
	added := make([]*registered, 0, len(fns))
	for _, f := range fns {
		name, doc := C.CString(f.Name), C.CString(f.Doc)
		r := &registered{Func: f, id: uintptr(len(table) + 1), def: C.gk_new_method_def(name, doc), suspendedMsg: goFuncMsg(f.Name)}
		C.free(unsafe.Pointer(name))
		C.free(unsafe.Pointer(doc))
		table = append(table, r)
		added = append(added, r)
	}
	funcs.Store(&table)
	return added, nil
}

// reservedNames are the module's own attributes.
var reservedNames = map[string]bool{"GoError": true, "GoPanic": true}

func (f Func) validate() error {
	if f.Fn == nil {
		return fmt.Errorf("embed: gilkit.%s has no Fn", f.Name)
	}
	if f.NArgs < AnyArgs {
		return fmt.Errorf("embed: gilkit.%s: NArgs %d (want >= 0, or AnyArgs)", f.Name, f.NArgs)
	}
	for i, r := range f.Name {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return fmt.Errorf("embed: %q is not a Python identifier", f.Name)
		}
	}
	if f.Name == "" || f.Name[0] == '_' && len(f.Name) > 1 && f.Name[1] == '_' {
		return fmt.Errorf("embed: %q cannot name a gilkit function (empty, or a dunder name)", f.Name)
	}
	return nil
}

// Register adds Go functions to the module gilkit of the embedded
// interpreter: `import gilkit; gilkit.NAME(...)` calls them (see Func).
// Functions can be registered at any time; a module that was imported
// already gets them at once. Names must be unique: registering a name twice
// is an error, and nothing of that call is registered.
//
// The module declares Py_MOD_GIL_NOT_USED, so importing it on a
// free-threaded build leaves the GIL off, and it cannot be imported in a
// subinterpreter (ImportError): its functions run in the main interpreter.
func (in *Interpreter) Register(fns ...Func) error {
	added, err := register(fns)
	if err != nil {
		return err
	}
	return in.Do(func(py *Py) error {
		py.check()
		// Only a module that exists gets them now; a first import runs the
		// module's exec, which adds every registered function.
		m, err := py.Eval("__import__('sys').modules.get('gilkit')")
		if err != nil {
			return fmt.Errorf("embed: looking for the gilkit module: %w", err)
		}
		defer m.Close()
		if m == noneObject {
			return nil
		}
		err = addFuncs(m.ptr, added)
		runtime.KeepAlive(m)
		return err
	})
}

// addFuncs adds functions to the module object m; the caller is attached.
func addFuncs(m *C.PyObject, fns []*registered) error {
	var errs []error
	for _, r := range fns {
		if C.gk_module_add_func(m, r.def, C.uintptr_t(r.id)) < 0 {
			errs = append(errs, fmt.Errorf("embed: adding gilkit.%s: %w", r.Name, fetchError()))
		}
	}
	return errors.Join(errs...)
}
