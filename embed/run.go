package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"unsafe"
)

// RunOption adjusts Exec, ExecFile and Eval.
type RunOption func(*runOptions)

type runOptions struct {
	globals  *Object
	filename string
	asMain   bool
	fromFile bool // run the file named by filename
	stdout   io.Writer
	stderr   io.Writer
}

// Globals runs the code in the namespace ns (a dict, e.g. from Py.Namespace)
// instead of a fresh one, so that several runs can share names.
func Globals(ns *Object) RunOption { return func(o *runOptions) { o.globals = ns } }

// Filename names the code in tracebacks and syntax errors (default
// "<gilkit>").
func Filename(name string) RunOption { return func(o *runOptions) { o.filename = name } }

// AsMain runs the code as the __main__ module, in __main__'s shared
// globals, as `python FILE` would: what `if __name__ == "__main__"` guards
// runs, and multiprocessing can find functions defined there.
func AsMain() RunOption { return func(o *runOptions) { o.asMain = true } }

// Stdout captures what the code writes to sys.stdout on this goroutine's
// thread into w (written when the run ends). Other goroutines' output is not
// affected.
func Stdout(w io.Writer) RunOption { return func(o *runOptions) { o.stdout = w } }

// Stderr captures sys.stderr like Stdout does sys.stdout.
func Stderr(w io.Writer) RunOption { return func(o *runOptions) { o.stderr = w } }

// Namespace returns a fresh module namespace (a dict holding __builtins__
// and __name__ = name).
func (py *Py) Namespace(name string) (*Object, error) {
	py.check()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	d := C.gk_new_namespace(cname)
	if d == nil {
		return nil, fmt.Errorf("embed: new namespace: %w", fetchError())
	}
	return newObject(py.st, d), nil
}

// MainNamespace returns __main__'s globals, shared by everything that runs
// with AsMain.
func (py *Py) MainNamespace() (*Object, error) {
	py.check()
	d := C.gk_main_dict()
	if d == nil {
		return nil, fmt.Errorf("embed: __main__: %w", fetchError())
	}
	return newObject(py.st, d), nil
}

// Exec runs Python statements, by default in a fresh namespace whose
// __name__ is "__gilkit__" (never __main__'s shared globals unless AsMain
// or Globals says so). A Python exception is returned as a *PyError.
func (py *Py) Exec(src string, opts ...RunOption) error {
	r, err := py.run(src, false, opts)
	if r != nil {
		C.gk_decref(r)
	}
	return err
}

// ExecFile runs a file like Exec, with the file's path as filename, parsed
// straight from the file as `python FILE` does. With AsMain it also sets
// __file__.
func (py *Py) ExecFile(path string, opts ...RunOption) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	opts = append([]RunOption{Filename(path), func(o *runOptions) { o.fromFile = true }}, opts...)
	r, err := py.run("", false, opts)
	if r != nil {
		C.gk_decref(r)
	}
	return err
}

// Eval evaluates a Python expression and returns its value.
func (py *Py) Eval(expr string, opts ...RunOption) (*Object, error) {
	r, err := py.run(expr, true, opts)
	if err != nil {
		return nil, err
	}
	return newObject(py.st, r), nil
}

func (py *Py) run(src string, eval bool, opts []RunOption) (*C.PyObject, error) {
	py.check()
	o := runOptions{filename: "<gilkit>"}
	for _, opt := range opts {
		opt(&o)
	}
	globals, err := py.globalsFor(&o)
	if err != nil {
		return nil, err
	}
	defer globals.Close()

	if o.stdout != nil || o.stderr != nil {
		if C.gk_capture_begin(boolInt(o.stdout != nil), boolInt(o.stderr != nil)) != 0 {
			return nil, fmt.Errorf("embed: capturing output: %w", fetchError())
		}
	}
	cfile := C.CString(o.filename)
	var r *C.PyObject
	if o.fromFile {
		r = C.gk_run_file(cfile, globals.ptr)
	} else {
		csrc := C.CString(src)
		r = C.gk_run(csrc, C.Py_ssize_t(len(src)), cfile, globals.ptr, boolInt(eval))
		C.free(unsafe.Pointer(csrc))
	}
	C.free(unsafe.Pointer(cfile))
	runtime.KeepAlive(globals)
	var runErr error
	if r == nil {
		runErr = fmt.Errorf("%s: %w", o.filename, fetchError())
	}
	if o.stdout != nil || o.stderr != nil {
		if err := py.endCapture(o.stdout, o.stderr); err != nil {
			runErr = errors.Join(runErr, err)
		}
	}
	if runErr != nil && r != nil {
		C.gk_decref(r)
		r = nil
	}
	return r, runErr
}

func (py *Py) globalsFor(o *runOptions) (*Object, error) {
	switch {
	case o.globals != nil:
		if _, err := py.use(o.globals); err != nil {
			return nil, err
		}
		C.gk_incref(o.globals.ptr) // the caller's handle stays theirs
		ns := newObject(py.st, o.globals.ptr)
		runtime.KeepAlive(o.globals)
		return ns, nil
	case o.asMain:
		ns, err := py.MainNamespace()
		if err != nil {
			return nil, err
		}
		if o.filename != "<gilkit>" {
			if err := py.setItem(ns, "__file__", o.filename); err != nil {
				ns.Close()
				return nil, err
			}
		}
		return ns, nil
	}
	return py.Namespace("__gilkit__")
}

func (py *Py) setItem(dict *Object, key string, value any) error {
	k, err := toPython(py, key, 0)
	if err != nil {
		return err
	}
	defer C.gk_decref(k)
	v, err := toPython(py, value, 0)
	if err != nil {
		return err
	}
	defer C.gk_decref(v)
	rc := C.gk_dict_set(dict.ptr, k, v)
	runtime.KeepAlive(dict)
	if rc < 0 {
		return fmt.Errorf("embed: setting %s: %w", key, fetchError())
	}
	return nil
}

func (py *Py) endCapture(stdout, stderr io.Writer) error {
	var out, errb *C.char
	var nout, nerr C.Py_ssize_t
	rc := C.gk_capture_end(boolInt(stdout != nil), boolInt(stderr != nil), &out, &nout, &errb, &nerr)
	defer C.free(unsafe.Pointer(out))
	defer C.free(unsafe.Pointer(errb))
	if rc != 0 {
		return fmt.Errorf("embed: collecting captured output: %w", fetchError())
	}
	var werr error
	if stdout != nil && nout > 0 {
		_, werr = stdout.Write(C.GoBytes(unsafe.Pointer(out), C.int(nout)))
	}
	if stderr != nil && nerr > 0 {
		if _, err := stderr.Write(C.GoBytes(unsafe.Pointer(errb), C.int(nerr))); err != nil {
			werr = errors.Join(werr, err)
		}
	}
	if werr != nil {
		return fmt.Errorf("embed: writing captured output: %w", werr)
	}
	return nil
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// Import imports a module (import NAME) and returns it.
func (py *Py) Import(name string) (*Object, error) {
	py.check()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	m := C.gk_import(cname)
	if m == nil {
		return nil, fmt.Errorf("import %s: %w", name, fetchError())
	}
	return newObject(py.st, m), nil
}

// Attr returns obj.name.
func (py *Py) Attr(obj *Object, name string) (*Object, error) {
	p, err := py.use(obj)
	if err != nil {
		return nil, err
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	a := C.gk_getattr(p, cname)
	runtime.KeepAlive(obj)
	if a == nil {
		return nil, fmt.Errorf("attribute %s: %w", name, fetchError())
	}
	return newObject(py.st, a), nil
}

// Call calls a Python callable with positional arguments, each converted
// with Py.Object, and returns the result.
func (py *Py) Call(callable *Object, args ...any) (*Object, error) {
	return py.CallKw(callable, args, nil)
}

// CallKw calls a Python callable with positional and keyword arguments.
func (py *Py) CallKw(callable *Object, args []any, kwargs map[string]any) (*Object, error) {
	fn, err := py.validate(callable)
	if err != nil {
		return nil, err
	}
	var r *C.PyObject
	switch {
	case len(args) == 0 && len(kwargs) == 0 && !py.attached:
		// The first use of the token: attach and call in one cgo crossing.
		res := C.gk_enter_call0(cptr(fn), cptr(py.ts))
		py.entered(res.rc)
		r = res.result
	case len(args) == 0 && len(kwargs) == 0:
		r = C.gk_call0(cptr(fn))
	default:
		py.check()
		tuple, err := toPython(py, Tuple(args), 0)
		if err != nil {
			return nil, fmt.Errorf("embed: call arguments: %w", err)
		}
		var kw *C.PyObject
		if len(kwargs) > 0 {
			if kw, err = toPython(py, kwargs, 0); err != nil {
				C.gk_decref(tuple)
				return nil, fmt.Errorf("embed: call keyword arguments: %w", err)
			}
		}
		r = C.gk_call(fn, tuple, kw)
		C.gk_decref(tuple)
		if kw != nil {
			C.gk_decref(kw)
		}
	}
	runtime.KeepAlive(callable)
	if r == nil {
		return nil, fmt.Errorf("call: %w", fetchError())
	}
	return newObject(py.st, r), nil
}

// Str returns str(obj).
func (py *Py) Str(obj *Object) (string, error) {
	p, err := py.use(obj)
	if err != nil {
		return "", err
	}
	s := C.gk_str(p)
	runtime.KeepAlive(obj)
	if s == nil {
		return "", fmt.Errorf("str(): %w", fetchError())
	}
	defer C.gk_decref(s)
	v, err := toGo(s, 0)
	if err != nil {
		return "", err
	}
	return v.(string), nil
}
