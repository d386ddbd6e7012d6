package embed

import "unsafe"

// Test-only access to internals that benchmarks and tests in package
// embed_test need.

// HasPEP788 reports whether the linked CPython has PEP 788's finalization
// guards and PyThreadState_Ensure (3.15+).
var HasPEP788 = hasPEP788

// PendingReleases reports how many references wait to be dropped on the
// main interpreter.
func (in *Interpreter) PendingReleases() int { return int(in.mainInterp.npending.Load()) }

// RegisterFuncs adds fns to module gilkit of every interpreter, including
// one that has not started yet (a Command's).
func RegisterFuncs(fns ...Func) error {
	_, err := register(fns)
	return err
}

// MainStackFor exposes the stack size rule of CPython's main thread.
var MainStackFor = mainStackFor

// Delivered reports whether the interrupt reached the target thread (it was
// set as the thread's asynchronous exception), whether or not it was raised.
func (it *Interrupter) Delivered() bool { return it.delivered() }

// Active reports how many goroutines are inside Do.
func (in *Interpreter) Active() int64 { return in.active.Load() }

// ThreadStates counts the thread states of py's interpreter.
func ThreadStates(py *Py) int { return py.threadStates() }

// ObjectPointer is o's PyObject*, for test helpers written in C; o must
// stay alive while they use it.
func ObjectPointer(o *Object) unsafe.Pointer { return unsafe.Pointer(o.ptr) }

// Running returns the process's running interpreter without starting one
// (Command.Run starts its own).
func Running() *Interpreter {
	startMu.Lock()
	defer startMu.Unlock()
	return running
}

// LastInterpreter is the interpreter that ran last, even once finalized.
func LastInterpreter() *Interpreter { return runningInterp.Load() }

// PythonSources are the Python files gilkit runs itself (py/), by name.
func PythonSources() map[string]string {
	out := map[string]string{}
	for name, src := range pythonSources {
		out[name] = *src
	}
	return out
}
