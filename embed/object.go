package embed

/*
#include "gilkit.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"sync/atomic"
	"unsafe"
)

var (
	errNilObject     = errors.New("embed: nil *Object")
	errClosedObject  = errors.New("embed: Object used after Close")
	errForeignObject = errors.New("embed: Object belongs to another interpreter")
)

// Object is a strong reference to a Python object. Use it only through a
// [Py] token of the interpreter that made it.
//
// Release it with Close when done. Close never touches Python, so it is safe
// anywhere, attached or not: the reference is queued and dropped the next
// time a goroutine that used Python leaves Do on that interpreter. An Object
// that is never closed is queued the same way by a cleanup when Go collects
// it.
type Object struct {
	ptr     *C.PyObject
	st      *interpState // nil for immortal singletons (None, True, False)
	closed  atomic.Bool
	cleanup runtime.Cleanup
}

type queuedRef struct {
	st  *interpState
	ptr uintptr
}

// newObject wraps a new (owned) reference. p must not be NULL.
func newObject(st *interpState, p *C.PyObject) *Object {
	if !immortalSingletons && (p == noneObject.ptr || p == trueObject.ptr || p == falseObject.ptr) {
		C.gk_decref(p) // the handle for a singleton is unowned
	}
	return newDetachedObject(st, p)
}

// newDetachedObject wraps a reference whose singletons (None, True, False)
// are already unowned; it never calls into C, so it works detached. The
// singletons are static and shared by every interpreter: unowned handles for
// them keep the common "returns None" call free of allocations and cleanups.
func newDetachedObject(st *interpState, p *C.PyObject) *Object {
	switch p {
	case noneObject.ptr:
		return noneObject
	case trueObject.ptr:
		return trueObject
	case falseObject.ptr:
		return falseObject
	}
	o := &Object{ptr: p, st: st}
	o.cleanup = runtime.AddCleanup(o, func(r queuedRef) { r.st.release(r.ptr) }, queuedRef{st, uintptr(unsafe.Pointer(p))})
	return o
}

// immortalSingletons is true from 3.12 on (PEP 683): reference counting
// None, True and False is a no-op there, so dropping the reference needs no
// cgo call.
const immortalSingletons = pyMajor > 3 || pyMinor >= 12

// Unowned handles of the static singletons; Close on them does nothing.
var (
	noneObject  = &Object{ptr: C.gk_none_ptr()}
	trueObject  = &Object{ptr: C.gk_true_ptr()}
	falseObject = &Object{ptr: C.gk_false_ptr()}
)

// Close releases the reference (see Object). Closing twice is harmless.
func (o *Object) Close() {
	if o == nil || o.st == nil || o.closed.Swap(true) {
		return
	}
	o.cleanup.Stop()
	o.st.release(uintptr(unsafe.Pointer(o.ptr)))
	runtime.KeepAlive(o)
}

// cptr passes a C pointer to C as an integer, which cgo does not check for
// Go pointers (see gk_enter_call0).
func cptr[T C.PyObject | C.PyThreadState](p *T) C.uintptr_t {
	return C.uintptr_t(uintptr(unsafe.Pointer(p)))
}

// use returns the raw pointer after checking that o is alive and belongs to
// py's interpreter, and attaches.
//
// Every function that hands an Object's raw pointer to C calls
// runtime.KeepAlive(o) after the last C call that uses it: otherwise,
// when that call is o's last use in Go, the garbage collector may run o's
// cleanup during the call and queue the reference, and another goroutine
// leaving a Do may then drop it while C (and the Python code it runs) still
// uses the object. TestEveryRawPointerUseKeepsItsObjectAlive checks the
// package's source for it.
func (py *Py) use(o *Object) (*C.PyObject, error) {
	p, err := py.validate(o)
	if err == nil {
		py.check()
	}
	return p, err
}

// validate is use without attaching.
func (py *Py) validate(o *Object) (*C.PyObject, error) {
	py.checkToken()
	if o == nil || o.closed.Load() || (o.st != nil && o.st != py.st) {
		return nil, objectError(py, o)
	}
	return o.ptr, nil
}

// objectError says why validate refused o.
func objectError(py *Py, o *Object) error {
	switch {
	case o == nil:
		return errNilObject
	case o.closed.Load():
		return errClosedObject
	}
	return errForeignObject
}
