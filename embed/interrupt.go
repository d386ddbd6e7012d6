package embed

/*
#include "gilkit.h"
*/
import "C"

// ThreadID identifies the OS thread this token is attached on, for
// Interpreter.Interrupt.
func (py *Py) ThreadID() uint64 {
	py.check()
	return uint64(C.gk_thread_ident())
}

// Interrupt makes the Python code running on thread id (see Py.ThreadID)
// raise KeyboardInterrupt at its next bytecode boundary, as Ctrl-C would.
// Code blocked inside C (time.sleep, a socket read) notices only when that
// call returns. It reports whether such a thread was found.
func (in *Interpreter) Interrupt(id uint64) (bool, error) {
	found := false
	err := in.Do(func(py *Py) error {
		py.check()
		found = C.gk_interrupt_thread(C.ulong(id)) > 0
		return nil
	})
	return found, err
}
