package embed_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/embed"
)

func init() {
	childScenarios["run-end"] = runEndScenario
}

const runEndEnv = "GILKIT_RUN_END"

// runEndScripts end while Go code still works with the interpreter: a
// daemon thread inside a Go function that released the GIL, and (started
// by the scenario) a goroutine calling Do in a loop.
var runEndScripts = map[string]string{
	"daemon thread in a Go function": `
import threading, time, gilkit
def work():
    while True:
        gilkit.countdown(10_000_000)  # GIL released: most of the time in Go
threading.Thread(target=work, daemon=True).start()
time.sleep(0.3)
print("main done", flush=True)
`,
	"daemon thread in a Go function that does not return": `
import threading, time, gilkit
threading.Thread(target=gilkit.countdown, args=(10**12,), daemon=True).start()
time.sleep(0.3)
print("main done", flush=True)
`,
	"goroutine calling Do": `
import time
time.sleep(0.3)
print("main done", flush=True)
`,
}

// runEndScenario runs one of runEndScripts with Command.Run while a
// goroutine calls Do, then calls Close: nothing may crash or hang.
func runEndScenario() error {
	name := os.Getenv(runEndEnv)
	src, ok := runEndScripts[name]
	if !ok {
		return fmt.Errorf("unknown script %q", name)
	}
	script := filepath.Join(os.TempDir(), fmt.Sprintf("gilkit-run-end-%d.py", os.Getpid()))
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		return err
	}
	defer os.Remove(script)
	var calls, closedAt atomic.Int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		var in *embed.Interpreter
		for in == nil {
			select {
			case <-stop:
				done <- errors.New("the interpreter never started")
				return
			default:
			}
			in = embed.Running()
			time.Sleep(time.Millisecond)
		}
		for {
			err := in.Do(func(py *embed.Py) error { return py.Exec("x = sum(range(100))") })
			if errors.Is(err, embed.ErrClosed) {
				closedAt.Store(calls.Load())
				done <- nil
				return
			}
			if err != nil {
				done <- err
				return
			}
			calls.Add(1)
		}
	}()
	status, err := embed.Command{Args: []string{script}, Grace: 300 * time.Millisecond}.Run(context.Background())
	close(stop)
	fmt.Printf("Run returned status=%d err=%v\n", status, err)
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("the goroutine calling Do: %w", err)
		}
	case <-time.After(30 * time.Second):
		return errors.New("the goroutine calling Do did not end after Run returned")
	}
	fmt.Printf("Do returned ErrClosed after %d calls\n", closedAt.Load())
	in := embed.LastInterpreter()
	fmt.Printf("Close after Run: %v\n", in.Close())
	return nil
}

// The end of Command.Run (Py_RunMain finalizing CPython) is fenced: Go
// code that works with the interpreter (a daemon thread inside a Go
// function, a goroutine calling Do) never attaches to a finalizing CPython
// (3.12 would end that thread under Go's frames, 3.13 hang it); Do
// returns ErrClosed afterwards, and Close after Run returns ErrClosed
// without touching the finalized runtime.
func TestTheEndOfCommandRunIsFenced(t *testing.T) {
	for name := range runEndScripts {
		t.Run(name, func(t *testing.T) {
			out := runInChild(t, "run-end", runEndEnv+"="+name)
			assert.Contains(t, out, "main done")
			assert.Contains(t, out, "Run returned status=0 err=<nil>")
			assert.Contains(t, out, "Do returned ErrClosed after")
			assert.Contains(t, out, "Close after Run: "+embed.ErrClosed.Error())
		})
	}
}
