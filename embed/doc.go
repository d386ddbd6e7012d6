// Package embed runs a real CPython inside a Go program through cgo.
//
// One interpreter is started per process with [Start]. Goroutines run Python
// inside [Interpreter.Do]: the closure receives a [Py] token that proves the
// goroutine is attached to the interpreter (it holds the GIL on a GIL build,
// or is attached on a free-threaded one). The goroutine stays locked to its
// OS thread for the whole closure, and each OS thread keeps one Python
// thread state for the life of the thread, so attaching costs about as much
// as PyEval_RestoreThread, not the ~12 µs of creating a thread state per
// call that PyGILState_Ensure does on a thread Python has not seen.
//
// [Py.Detach] releases the interpreter around Go work (blocking I/O,
// channel waits, long computations). On free-threaded builds detaching
// before blocking matters too: a stop-the-world pause of the garbage
// collector waits for every attached thread.
//
// [Interpreter.DoContext] and [Interpreter.CallContext] bound Python code by
// a context: when it ends, the code gets KeyboardInterrupt at its next
// bytecode boundary, without the cancelling goroutine ever waiting for the
// GIL ([Interrupter] is the mechanism). [Interpreter.CloseContext] never
// hangs: it names what still runs instead.
//
// Every Python exception becomes a *[PyError]; SystemExit and
// KeyboardInterrupt are errors too and never end the Go process. Embedded
// Python is not a sandbox, though: os._exit ends the process, and closing
// file descriptors the Go runtime uses kills it.
//
// The thread-safety rules: the Interpreter is safe for concurrent use; a
// Py token only where its thread is attached: on its closure's goroutine,
// inside the closure, and not inside Py.Detach or a Go function that Python
// called with the GIL released (call Do there for a token of its own); never
// block inside a closure on another goroutine without Py.Detach. The doc
// comments of Do, Detach, Close, NewSubinterpreter and Subinterpreter.Do
// say in their "Deadlocks" sections what blocks and what to do instead.
//
// Threads gilkit did not create: a thread that Python or a C library gave a
// thread state (PyGILState_Ensure) may call Do; gilkit uses that thread
// state as it is and never keeps it. CPython cannot tell such a thread which
// subinterpreter it belongs to (gh-101767): PyGILState_Ensure attaches the
// main interpreter there. So in a subinterpreter, a ctypes callback called
// from a thread that C code started does not run: Python reports a
// RuntimeError naming the limit. Callbacks called on the subinterpreter's
// own thread (qsort, sqlite3's create_function) run normally.
//
// Fork: a child forked by Python code never returns into Go (the Go runtime
// does not run in it): whichever call reached the forking code, the child
// ends where that code returns into gilkit, with the status python would
// give it; a Go function called in the child raises RuntimeError. While
// subinterpreters exist, os.fork raises RuntimeError: CPython's child cannot
// survive them.
//
// CPython's main thread is the thread that initialized it: gilkit creates
// it with a large C stack, or takes the process's main thread when the
// program hands it over with [Main]. [Interpreter.DoMain] runs code there
// (signal handlers, MainThread). [Command] runs a python command line with
// CPython's own main program, as the python binary would run it: same
// output, exit status, signals, environment and fork behaviour.
//
// Go functions registered with [Interpreter.Register] are importable by the
// embedded Python code as the module gilkit ([Func]): arguments and results
// are converted like Py.Go and Py.Object do, the GIL is released while the
// Go code runs unless the function asks to hold it, errors and panics are
// Python exceptions, and the module declares that it does not need the GIL,
// so importing it keeps a free-threaded build free-threaded.
//
// The package builds against any CPython >= 3.11 that has a shared library,
// found with pkg-config as python3-embed: point PKG_CONFIG_PATH at the
// interpreter's lib/pkgconfig to choose one. Free-threaded builds are
// supported; whether the GIL is on at run time is reported by [Info].
package embed
