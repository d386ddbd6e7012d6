package embed

// The trampolines: the only Go functions C calls for the module gilkit
// (module.c). As in go-sqlite3's callback.go, C knows a Go function only by
// its id in the handle table (module.go), never by a Go pointer.

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"unsafe"

	"github.com/gilkit/gilkit/embed/internal/gid"
)

//export gkModuleExec
func gkModuleExec(module *C.PyObject) C.int {
	var all []*registered
	if t := funcs.Load(); t != nil {
		all = *t
	}
	if err := addFuncs(module, all); err != nil {
		msg := C.CString(err.Error())
		C.gk_raise_go(C.GK_RAISE_ERROR, msg)
		C.free(unsafe.Pointer(msg))
		return -1
	}
	return 0
}

// gkCallFunc runs the Go function id for a Python call with the positional
// arguments args. It is entered attached (the caller holds the GIL on a GIL
// build) and returns attached: a new reference, or NULL with an exception
// set. Nothing Go does may cross back into C as a panic.
//
//export gkCallFunc
func gkCallFunc(id C.uintptr_t, args *C.PyObject) (result *C.PyObject) {
	// Fn's panics are recovered in invoke; this catches gilkit's own
	// (converting values), which must not unwind CPython's C frames either.
	// Outside invoke the thread is attached, so the exception can be set.
	defer func() {
		if r := recover(); r != nil {
			if result != nil {
				C.gk_decref(result)
			}
			result = nil
			raiseGo(C.GK_RAISE_PANIC, fmt.Sprintf("gilkit: internal panic: %v\n\nGo stack:\n%s", r, goStack()))
		}
	}()
	f := lookupFunc(uintptr(id))
	in := runningInterp.Load()
	if f == nil || in == nil {
		raiseGo(C.GK_RAISE_ERROR, "gilkit: this Go function is not registered in this process")
		return nil
	}
	goArgs, objects, err := f.convertArgs(in, args)
	if err != nil {
		raiseGo(C.GK_RAISE_TYPE_ERROR, err.Error())
		return nil
	}
	defer func() {
		for _, o := range objects {
			o.Close() // queued: dropped at the next leave of a Do
		}
	}()
	// Counted as work in progress, so that Close waits for Fn to return
	// before it finalizes. While finalizing (an atexit handler calls Go)
	// the thread keeps the GIL: a thread that attaches then is killed.
	release := !f.HoldGIL
	if in.enterActive(true) {
		defer in.leaveActive()
	} else {
		release = false
	}
	v, err, panicked := f.invoke(in, goArgs, release)
	switch {
	case panicked != "":
		raiseGo(C.GK_RAISE_PANIC, panicked)
		return nil
	case err != nil:
		raiseError(in, err)
		return nil
	}
	err = runWithToken(newToken(in.mainInterp, nil), func(py *Py) error {
		py.check()
		var err error
		result, err = toPython(py, v, 0)
		return err
	})
	if err != nil {
		raiseGo(C.GK_RAISE_ERROR, fmt.Sprintf("gilkit.%s: converting its result: %v", f.Name, err))
		return nil
	}
	return result
}

// convertArgs converts the argument tuple to Go values; arguments with no
// Go equivalent become *Objects, returned also in objects to be closed.
func (f *registered) convertArgs(in *Interpreter, args *C.PyObject) (goArgs []any, objects []*Object, err error) {
	n := int(C.gk_seq_len(args))
	if f.NArgs != AnyArgs && n != f.NArgs {
		plural := "s"
		if f.NArgs == 1 {
			plural = ""
		}
		return nil, nil, fmt.Errorf("%s() takes %d argument%s (%d given)", f.Name, f.NArgs, plural, n)
	}
	goArgs = make([]any, n)
	for i := range n {
		item := C.gk_seq_item(args, C.Py_ssize_t(i))
		v, err := toGo(item, 0)
		if err != nil {
			o := newObject(in.mainInterp, item) // takes over the reference
			objects = append(objects, o)
			goArgs[i] = o
			continue
		}
		C.gk_decref(item)
		goArgs[i] = v
	}
	return goArgs, objects, nil
}

// invoke runs Fn, detached when release is set, and recovers a panic into
// its description.
func (f *registered) invoke(in *Interpreter, args []any, release bool) (v any, err error, panicked string) {
	if release {
		saved := C.gk_detach_any()
		defer C.gk_reattach(saved)
		// Tokens of Do closures around this call are detached now.
		g := gid.Current()
		suspend(g, &suspension{msg: f.suspendedMsg})
		defer resume(g)
	}
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprintf("gilkit.%s panicked: %v\n\nGo stack:\n%s", f.Name, r, goStack())
		}
	}()
	v, err = f.Fn(in, args)
	return v, err, ""
}

// goStack is the panicking goroutine's stack from the panic on, without
// the runtime's and this file's frames, at most 40 lines.
func goStack() string {
	lines := strings.Split(strings.TrimSpace(string(debug.Stack())), "\n")
	// lines[0] is "goroutine N [running]:", then function/file pairs.
	start := 1
	for i := 1; i+1 < len(lines); i += 2 {
		if strings.HasPrefix(lines[i], "panic(") {
			start = i + 2
			break
		}
	}
	if start >= len(lines) {
		start = 1
	}
	out := lines[start:]
	if len(out) > 40 {
		out = append(out[:40], "\t...")
	}
	return strings.Join(out, "\n")
}

// raiseError sets the Python exception for an error Fn returned (see Func).
func raiseError(in *Interpreter, err error) {
	var pe *PyError
	if errors.As(err, &pe) {
		if exc := pe.exc; exc != nil && exc.st == in.mainInterp && !exc.closed.Load() {
			C.gk_raise_exception(exc.ptr)
			runtime.KeepAlive(exc)
			return
		}
		if pe.Type != "" && pe.exc == nil {
			name, msg := C.CString(pe.Type), C.CString(pe.Message)
			rc := C.gk_raise_named(name, msg)
			C.free(unsafe.Pointer(name))
			C.free(unsafe.Pointer(msg))
			if rc == 0 {
				return
			}
		}
	}
	raiseGo(C.GK_RAISE_ERROR, err.Error())
}

func raiseGo(kind C.int, msg string) {
	cmsg := C.CString(msg)
	C.gk_raise_go(kind, cmsg)
	C.free(unsafe.Pointer(cmsg))
}
