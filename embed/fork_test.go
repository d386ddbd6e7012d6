package embed_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/embed"
)

func init() {
	childScenarios["fork-path"] = forkPathScenario
}

const forkPathEnv = "GILKIT_FORK_PATH"

// forkSrc defines Python code that forks in every way a call from Go can
// reach: the child returns normally (or raises), back into gilkit, which
// must end it there, as Exec does, since the Go runtime does not run in a
// forked child. The parent records the child's pid in forked.
const forkSrc = `
import os
forked = []
def fork():
    pid = os.fork()
    if pid:
        forked.append(pid)
    return pid
def call(*args, **kwargs):
    return "child" if fork() == 0 else "parent"
class Probe:
    @property
    def prop(self):
        return call()
    def __str__(self):
        return call()
    def __hash__(self):
        fork()
        return 1
    def __del__(self):
        fork()
class Failure(Exception):
    def __str__(self):
        if not forked:
            call()
        return "failure"
def fail():
    raise Failure()
def gofunc():
    import gilkit
    if fork() == 0:
        try:
            gilkit.t_fork_probe()
        except Exception as e:
            print(f"child: {type(e).__name__}: {e}", flush=True)
            os._exit(3)
        os._exit(4)
`

// forkPaths are the ways Go reaches Python code, and the status the child
// ends with: 0 when its code returned normally, 1 after a traceback, as a
// child of Exec does; 3 for the Go function, which raises in the child.
var forkPaths = map[string]struct {
	status int
	run    func(in *embed.Interpreter, ns *embed.Object) error
}{
	"Interpreter.Call": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		return callAndClose(in.Call(global(in, ns, "call")))
	}},
	"Py.Call first use": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		fn := global(in, ns, "call")
		return in.Do(func(py *embed.Py) error { return callAndClose(py.Call(fn)) })
	}},
	"Py.Call attached": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		fn := global(in, ns, "call")
		return in.Do(func(py *embed.Py) error {
			if err := py.Exec("pass"); err != nil {
				return err
			}
			return callAndClose(py.Call(fn))
		})
	}},
	"Py.Call with arguments": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		fn := global(in, ns, "call")
		return in.Do(func(py *embed.Py) error { return callAndClose(py.Call(fn, 1, "two")) })
	}},
	"Py.CallKw": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		fn := global(in, ns, "call")
		return in.Do(func(py *embed.Py) error {
			return callAndClose(py.CallKw(fn, nil, map[string]any{"x": 1}))
		})
	}},
	"Py.Exec": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		return in.Do(func(py *embed.Py) error { return py.Exec("call()", embed.Globals(ns)) })
	}},
	"Py.Import": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		dir, err := os.MkdirTemp("", "gilkit-fork")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := os.WriteFile(filepath.Join(dir, "forkmod.py"), []byte("import __main__\n__main__.call()\n"), 0o600); err != nil {
			return err
		}
		return in.Do(func(py *embed.Py) error {
			if err := py.Exec(fmt.Sprintf("import sys, __main__\nsys.path.insert(0, %q)\n__main__.call = call", dir), embed.Globals(ns)); err != nil {
				return err
			}
			return callAndClose(py.Import("forkmod"))
		})
	}},
	"Py.Attr": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		probe := evalIn2(in, ns, "Probe()")
		return in.Do(func(py *embed.Py) error { return callAndClose(py.Attr(probe, "prop")) })
	}},
	"Py.Str": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		probe := evalIn2(in, ns, "Probe()")
		return in.Do(func(py *embed.Py) error {
			_, err := py.Str(probe)
			return err
		})
	}},
	"an exception's str()": {1, func(in *embed.Interpreter, ns *embed.Object) error {
		fn := global(in, ns, "fail")
		err := in.Do(func(py *embed.Py) error { return callAndClose(py.Call(fn)) })
		var pyErr *embed.PyError
		if !errors.As(err, &pyErr) || pyErr.Type != "__main__.Failure" {
			return fmt.Errorf("want the Failure, got %v", err)
		}
		return nil
	}},
	"a dict key's hash()": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		probe := evalIn2(in, ns, "Probe()")
		return in.Do(func(py *embed.Py) error { return callAndClose(py.Object(map[any]any{probe: 1})) })
	}},
	"dropping a reference": {0, func(in *embed.Interpreter, ns *embed.Object) error {
		probe := evalIn2(in, ns, "Probe()")
		probe.Close() // dropped, and __del__ run, when this Do leaves
		return in.Do(func(py *embed.Py) error { return py.Exec("pass") })
	}},
	"a Go function": {3, func(in *embed.Interpreter, ns *embed.Object) error {
		return callAndClose(in.Call(global(in, ns, "gofunc")))
	}},
}

func callAndClose(o *embed.Object, err error) error {
	o.Close()
	return err
}

func global(in *embed.Interpreter, ns *embed.Object, name string) *embed.Object {
	return evalIn2(in, ns, name)
}

// evalIn2 evaluates expr in ns and returns the object (nil on error).
func evalIn2(in *embed.Interpreter, ns *embed.Object, expr string) *embed.Object {
	var o *embed.Object
	_ = in.Do(func(py *embed.Py) error {
		var err error
		o, err = py.Eval(expr, embed.Globals(ns))
		return err
	})
	return o
}

// forkPathScenario runs one of forkPaths and reports how its child ended.
func forkPathScenario() error {
	parent := os.Getpid()
	path, ok := forkPaths[os.Getenv(forkPathEnv)]
	if !ok {
		return fmt.Errorf("unknown fork path %q", os.Getenv(forkPathEnv))
	}
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	if err := in.Register(embed.Func{Name: "t_fork_probe", Fn: func(*embed.Interpreter, []any) (any, error) {
		fmt.Printf("GO FUNCTION RAN in pid %d\n", os.Getpid())
		return nil, nil
	}}); err != nil {
		return err
	}
	var ns *embed.Object
	if err := in.Do(func(py *embed.Py) error {
		var err error
		if ns, err = py.MainNamespace(); err != nil {
			return err
		}
		return py.Exec(forkSrc, embed.AsMain())
	}); err != nil {
		return err
	}
	runErr := path.run(in, ns)
	if os.Getpid() != parent {
		fmt.Printf("GO RAN IN THE CHILD %d\n", os.Getpid())
		syscall.Exit(99)
	}
	if runErr != nil {
		return fmt.Errorf("in the parent: %w", runErr)
	}
	var pids []any
	if err := in.Do(func(py *embed.Py) error {
		o, err := py.Eval("forked", embed.Globals(ns))
		if err != nil {
			return err
		}
		defer o.Close()
		v, err := py.Go(o)
		pids, _ = v.([]any)
		return err
	}); err != nil {
		return err
	}
	if len(pids) == 0 {
		return errors.New("nothing forked")
	}
	for _, p := range pids {
		status, err := waitChild(int(p.(int64)), 20*time.Second)
		if err != nil {
			return err
		}
		fmt.Printf("child status %d\n", status)
	}
	return nil
}

// waitChild waits for a child, killing it when it has not ended in time
// (a child that returned into the Go runtime may hang there).
func waitChild(pid int, timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err != nil {
			return 0, fmt.Errorf("waiting for child %d: %w", pid, err)
		}
		if got == pid {
			if ws.Signaled() {
				return 0, fmt.Errorf("child %d was killed by %v", pid, ws.Signal())
			}
			return ws.ExitStatus(), nil
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			return 0, fmt.Errorf("child %d hung (killed after %v)", pid, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A child forked by Python code never returns into Go, whichever way Go
// called that code: it ends where its Python code returns into gilkit, with
// the status Exec gives it. A Go function called in the child raises
// instead of running.
func TestForkedChildNeverRunsGo(t *testing.T) {
	for name, path := range forkPaths {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := runInChild(t, "fork-path", forkPathEnv+"="+name)
			assert.NotContains(t, out, "GO RAN IN THE CHILD")
			assert.NotContains(t, out, "GO FUNCTION RAN in pid")
			assert.Contains(t, out, "child status "+strconv.Itoa(path.status), out)
			if name == "a Go function" {
				assert.Contains(t, out, "child: RuntimeError: gilkit.t_fork_probe: Go functions cannot run in a process forked from the Go program")
			}
			if path.status == 1 {
				assert.True(t, strings.Contains(out, "Traceback") || strings.Contains(out, "Failure"), out)
			}
		})
	}
}

func init() {
	childScenarios["fork-with-subinterpreters"] = forkWithSubinterpretersScenario
}

// forkWithSubinterpretersScenario forks while a subinterpreter exists, then
// after closing it.
func forkWithSubinterpretersScenario() error {
	parent := os.Getpid()
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	sub, err := in.NewSubinterpreter()
	if err != nil {
		return err
	}
	const src = `
import os
try:
    pid = os.fork()
except RuntimeError as e:
    print("fork refused:", e, flush=True)
else:
    if pid == 0:
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print("forked, child status", os.waitstatus_to_exitcode(status), flush=True)
`
	if err := in.Do(func(py *embed.Py) error { return py.Exec(src) }); err != nil {
		return err
	}
	if err := sub.Close(); err != nil {
		return err
	}
	if err := in.Do(func(py *embed.Py) error { return py.Exec(src) }); err != nil {
		return err
	}
	if os.Getpid() != parent {
		syscall.Exit(99)
	}
	return nil
}

// CPython's forked child dies (3.13 aborts it, 3.12 hangs it) when the
// process has subinterpreters, even idle ones, so a parent waiting for it
// would hang: while gilkit's subinterpreters exist, os.fork raises a
// RuntimeError that says so instead; once they are closed it forks.
func TestForkWhileSubinterpretersExistIsRefused(t *testing.T) {
	if !supportsOwnGIL(t) {
		t.Skip("no subinterpreters before 3.12")
	}
	out := runInChild(t, "fork-with-subinterpreters")
	assert.Contains(t, out, "fork refused: gilkit: os.fork() while subinterpreters exist")
	assert.Contains(t, out, "forked, child status 0")
}
