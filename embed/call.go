package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Call attaches, calls a Python callable with args, and detaches: the
// shortest way to call Python from Go. Without arguments the whole call is
// one cgo crossing, which makes it the fastest way too; with arguments it is
// Do plus Py.Call. Call may be used inside Do as well.
func (in *Interpreter) Call(callable *Object, args ...any) (*Object, error) {
	if len(args) > 0 || in.mainInterp.npending.Load() > 0 || callable == nil || callable.st != in.mainInterp {
		// Arguments need converting while attached, queued references
		// need dropping, and foreign or odd objects need Py.Call's checks.
		var r *Object
		err := in.Do(func(py *Py) error {
			var err error
			r, err = py.Call(callable, args...)
			return err
		})
		return r, err
	}
	if !in.enterDo() {
		return nil, ErrClosed
	}
	defer in.leaveActive()
	g, ok := in.guard()
	if !ok {
		return nil, ErrClosed
	}
	defer g.close()
	if callable.closed.Load() {
		return nil, errClosedObject
	}
	runtime.LockOSThread()
	res := C.gk_oneshot_call0(cptr(callable.ptr))
	runtime.UnlockOSThread()
	runtime.KeepAlive(callable)
	switch {
	case res.rc != C.GK_OK:
		return nil, ErrOtherInterpreter
	case res.err != nil:
		if res.result != nil {
			// A signal handler raised as the call ended (see gk_leave).
			newDetachedObject(in.mainInterp, res.result).Close()
		}
		return nil, fmt.Errorf("call: %w", takeCError(res.err))
	}
	return newDetachedObject(in.mainInterp, res.result), nil
}
