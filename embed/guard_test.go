package embed_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func init() {
	childScenarios["do-while-pymain-finalizes"] = doWhilePymainFinalizes
	childScenarios["do-from-atexit-under-pymain"] = doFromAtexitUnderPymain
}

// doWhilePymainFinalizes: under Command.Run CPython finalizes when the
// program ends, not when gilkit says. A goroutine calls Do in a loop while
// that happens; with PEP 788's guards (3.15+) Py_FinalizeEx waits for the
// Do in progress and the next one returns ErrClosed, instead of attaching
// to a finalizing interpreter, which hangs the thread forever (3.14) or
// ends it with pthread_exit (before).
func doWhilePymainFinalizes() error {
	dir, err := os.MkdirTemp("", "gilkit-guard")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ready := filepath.Join(dir, "ready")
	stopped := make(chan error, 1)
	calls := 0
	go func() {
		for {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		in, err := embed.Default()
		if err != nil {
			stopped <- fmt.Errorf("Default: %w", err)
			return
		}
		for {
			err := in.Do(func(py *embed.Py) error { return py.Exec("x = sum(range(100))") })
			if err != nil {
				stopped <- err
				return
			}
			calls++
		}
	}()
	status, err := embed.Command{Args: []string{"-c", "import sys, time\nopen(sys.argv[1], 'w').close()\ntime.sleep(0.3)\nprint('program done')", ready}}.Run(context.Background())
	if err != nil || status != 0 {
		return fmt.Errorf("Run: status %d, %v", status, err)
	}
	select {
	case err := <-stopped:
		if !errors.Is(err, embed.ErrClosed) {
			return fmt.Errorf("the goroutine's Do failed with %v, want ErrClosed", err)
		}
		fmt.Printf("Do returned ErrClosed after %d calls\n", calls)
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("the goroutine's Do did not return within 10s of the end of the program: it attached to a finalizing interpreter")
	}
}

func TestDoWhilePymainFinalizesIsRefused(t *testing.T) {
	if !embed.HasPEP788 {
		t.Skip("before CPython 3.15 a thread attaching while Py_RunMain finalizes hangs (3.14) or is ended (older); gilkit cannot refuse it without PEP 788's guards")
	}
	out := runInChild(t, "do-while-pymain-finalizes")
	assert.Contains(t, out, "program done")
	assert.Contains(t, out, "Do returned ErrClosed after")
	require.NotContains(t, out, "FAIL")
}

// doFromAtexitUnderPymain: Python's own exit work (an atexit handler)
// calls a Go function that calls Do. That is part of the program, not a
// goroutine racing its end: it must still work where each Do holds a
// finalization guard.
func doFromAtexitUnderPymain() error {
	dir, err := os.MkdirTemp("", "gilkit-guard")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ready, registered := filepath.Join(dir, "ready"), filepath.Join(dir, "registered")
	failed := make(chan error, 1)
	go func() {
		for {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		in, err := embed.Default()
		if err == nil {
			err = in.Register(embed.Func{Name: "do_from_go", NArgs: 0, Fn: func(in *embed.Interpreter, _ []any) (any, error) {
				err := in.Do(func(py *embed.Py) error { return py.Exec("import sys; sys.stdout.write('Do ran\\n')") })
				return err == nil, err
			}})
		}
		if err != nil {
			failed <- err
			return
		}
		if err := os.WriteFile(registered, nil, 0o644); err != nil {
			failed <- err
		}
	}()
	src := `import atexit, os, sys, time
open(sys.argv[1], "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.001)
import gilkit
atexit.register(lambda: print("from atexit:", gilkit.do_from_go()))
print("program done")
`
	status, err := embed.Command{Args: []string{"-c", src, ready, registered}}.Run(context.Background())
	select {
	case err := <-failed:
		return err
	default:
	}
	if err != nil || status != 0 {
		return fmt.Errorf("Run: status %d, %v", status, err)
	}
	return nil
}

func TestDoFromAtexitUnderPymain(t *testing.T) {
	out := runInChild(t, "do-from-atexit-under-pymain")
	assert.Contains(t, out, "program done")
	assert.Contains(t, out, "Do ran")
	assert.Contains(t, out, "from atexit: True")
}
