package embed_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gilkit/gilkit/embed"
)

// Start the interpreter once per process (Default starts it with the zero
// Config), attach with Do, run Python, and convert the result to Go.
func Example() {
	in, err := embed.Default()
	if err != nil {
		fmt.Println("starting CPython:", err)
		return
	}
	err = in.Do(func(py *embed.Py) error {
		ns, err := py.Namespace("example")
		if err != nil {
			return err
		}
		defer ns.Close()
		if err := py.Exec("def countdown(n):\n    while n > 0:\n        n -= 1\n    return 'liftoff'\n", embed.Globals(ns)); err != nil {
			return err
		}
		countdown, err := py.Eval("countdown", embed.Globals(ns))
		if err != nil {
			return err
		}
		defer countdown.Close()
		r, err := py.Call(countdown, 1000)
		if err != nil {
			return err
		}
		v, err := py.Go(r)
		fmt.Println(v)
		return err
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output: liftoff
}

// Python exceptions, SystemExit included, come back as *embed.PyError.
func ExamplePyError() {
	in, _ := embed.Default()
	err := in.Do(func(py *embed.Py) error {
		return py.Exec("import sys\nsys.exit(3)")
	})
	var pyErr *embed.PyError
	if errors.As(err, &pyErr) {
		fmt.Println(pyErr.Type, pyErr.IsSystemExit(), pyErr.ExitCode)
	}
	// Output: SystemExit true 3
}

// Capture what the code prints, per call.
func ExampleStdout() {
	in, _ := embed.Default()
	var out bytes.Buffer
	_ = in.Do(func(py *embed.Py) error {
		return py.Exec("print('hello from', 'Python')", embed.Stdout(&out))
	})
	fmt.Print(out.String())
	// Output: hello from Python
}

// Release the interpreter around Go work so other goroutines can run Python.
func ExamplePy_Detach() {
	in, _ := embed.Default()
	_ = in.Do(func(py *embed.Py) error {
		py.Detach(func() {
			fmt.Println("waiting without holding the GIL")
		})
		return py.Exec("pass")
	})
	// Output: waiting without holding the GIL
}

// Run Python code on CPython's main thread, where signal handlers may be
// installed and threading.current_thread() is the MainThread.
func ExampleInterpreter_DoMain() {
	in, _ := embed.Default()
	var out bytes.Buffer
	err := in.DoMain(func(py *embed.Py) error {
		return py.Exec("import threading\nprint(threading.current_thread().name)", embed.Stdout(&out))
	})
	fmt.Print(out.String(), err)
	// Output: MainThread
	// <nil>
}

// Run a script exactly as `python script.py arg` would, with a deadline: a
// command-line tool's main function. (It starts CPython, so it is the only
// interpreter of its process.)
func ExampleCommand_Run() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	status, err := embed.Command{Args: []string{"script.py", "arg"}}.Run(ctx)
	if errors.Is(err, embed.ErrStopped) {
		fmt.Fprintln(os.Stderr, "timed out")
		os.Exit(124)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(status)
}

// Hand the process's main thread to CPython: Python's main thread then has
// the stack and the signal delivery it has in the python command.
func ExampleMain() {
	// In package main:
	//
	//	func init() { runtime.LockOSThread() }
	//
	//	func main() { embed.Main(realMain) }
	realMain := func() int {
		status, err := embed.Command{Args: os.Args[1:]}.Run(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return status
	}
	embed.Main(realMain)
}

// Bound Python code by a context: when it ends, the code gets
// KeyboardInterrupt, and the error says both why and where.
func ExampleInterpreter_DoContext() {
	in, _ := embed.Default()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := in.DoContext(ctx, func(py *embed.Py) error {
		return py.Exec("while True:\n    pass\n")
	})
	var pyErr *embed.PyError
	fmt.Println(errors.Is(err, context.DeadlineExceeded), errors.As(err, &pyErr) && pyErr.Type == "KeyboardInterrupt")

	// The interpreter is as usable as before.
	_ = in.Do(func(py *embed.Py) error {
		r, err := py.Eval("6 * 7")
		if err != nil {
			return err
		}
		v, err := py.Go(r)
		fmt.Println(v)
		return err
	})
	// Output:
	// true true
	// 42
}

// Register Go functions, then call them from Python as module gilkit.
// Arguments arrive converted to Go values; errors become exceptions. The
// function releases the GIL while it runs (unless HoldGIL is set), so other
// Python threads run meanwhile, and it may call back into Python with Do.
func ExampleInterpreter_Register() {
	in, _ := embed.Default()
	err := in.Register(
		embed.Func{
			Name:  "ex_repeat",
			Doc:   "ex_repeat(s, n): s n times, joined by spaces",
			NArgs: 2,
			Fn: func(_ *embed.Interpreter, args []any) (any, error) {
				s, _ := args[0].(string)
				n, ok := args[1].(int64)
				if !ok || n < 0 {
					return nil, &embed.PyError{Type: "ValueError", Message: "n must be an int >= 0"}
				}
				return strings.TrimSpace(strings.Repeat(s+" ", int(n))), nil
			},
		},
		embed.Func{
			Name:  "ex_apply",
			NArgs: 2,
			// Calls back into Python: the function arrives as an *Object.
			Fn: func(in *embed.Interpreter, args []any) (any, error) {
				var out any
				err := in.Do(func(py *embed.Py) error {
					r, err := py.Call(args[0].(*embed.Object), args[1])
					if err != nil {
						return err // raised in Python again as the same exception
					}
					defer r.Close()
					out, err = py.Go(r)
					return err
				})
				return out, err
			},
		},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	var out bytes.Buffer
	err = in.Do(func(py *embed.Py) error {
		return py.Exec(`import gilkit, threading
print(gilkit.ex_repeat("go", 3))
print(gilkit.ex_apply(lambda x: x * 2, 21))
try:
    gilkit.ex_repeat("go", -1)
except ValueError as e:
    print("ValueError:", e)
t = threading.Thread(target=gilkit.ex_repeat, args=("go", 10**5))  # Go, GIL released
t.start(); t.join()
print(len(gilkit.ex_repeat("ab", 4)))
`, embed.Stdout(&out))
	})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Print(out.String())
	// Output:
	// go go go
	// 42
	// ValueError: n must be an int >= 0
	// 11
}
