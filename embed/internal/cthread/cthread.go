// Package cthread calls Python from a thread that a C library started, the
// way such libraries do (PyGILState_Ensure, call, PyGILState_Release, in a
// loop), for package embed's tests of thread states that gilkit did not
// create. CPython creates the thread state in the first PyGILState_Ensure
// and destroys it in every PyGILState_Release that balances it, so each
// call of the loop gets a new one.
package cthread

/*
#cgo pkg-config: python3-embed
#cgo LDFLAGS: -lpthread
#include <Python.h>
#include <pthread.h>

typedef struct {
	PyObject *fn;
	int n;
	int failures;
} job;

static void *run(void *arg) {
	job *j = arg;
	for (int i = 0; i < j->n; i++) {
		PyGILState_STATE s = PyGILState_Ensure();
		PyObject *r = PyObject_CallNoArgs(j->fn);
		if (r == NULL) {
			PyErr_Print();
			j->failures++;
		}
		Py_XDECREF(r);
		PyGILState_Release(s);
	}
	return NULL;
}

static int call_from_c_thread(void *fn, int n) {
	job j = {fn, n, 0};
	pthread_t t;
	if (pthread_create(&t, NULL, run, &j) != 0) return -1;
	pthread_join(t, NULL);
	return j.failures;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Call calls the Python callable fn (a PyObject*) n times from a new C
// thread, each time inside its own PyGILState_Ensure/Release, and waits for
// the thread to end. The caller must not be attached to the interpreter.
func Call(fn unsafe.Pointer, n int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	switch failures := C.call_from_c_thread(fn, C.int(n)); {
	case failures < 0:
		return fmt.Errorf("cthread: pthread_create failed")
	case failures > 0:
		return fmt.Errorf("cthread: %d of %d calls raised (printed to stderr)", failures, n)
	}
	return nil
}
