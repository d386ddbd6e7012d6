package embed_test

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func init() {
	childScenarios["deep-recursion-unlimited-stack"] = deepRecursionUnlimitedStack
}

func TestMainStackFor(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		name  string
		limit uint64
		want  int
	}{
		{"usual 8 MiB limit", 8 * mib, 8 * mib},
		{"a larger limit is honoured", 64 * mib, 64 * mib},
		{"a smaller limit still gets 8 MiB", 1 * mib, 8 * mib},
		{"unlimited gets 1 GiB", ^uint64(0), 1 << 30},
		{"beyond 1 GiB is capped", 4 << 30, 1 << 30},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, embed.MainStackFor(tc.limit))
		})
	}
}

func TestDoMainRunsOnPythonsMainThread(t *testing.T) {
	in := interp(t)
	err := in.DoMain(func(py *embed.Py) error {
		return py.Exec(`
import threading, signal
assert threading.current_thread() is threading.main_thread(), threading.current_thread()
signal.set_wakeup_fd(signal.set_wakeup_fd(-1))   # only the main thread may
t = threading.Thread(target=lambda: None)
assert not t.daemon, "threads started on the main thread are not daemons"
`)
	})
	require.NoError(t, err)

	// Do runs on the goroutine's own thread, which is not the main thread.
	err = in.Do(func(py *embed.Py) error {
		return py.Exec("import signal\nsignal.set_wakeup_fd(-1)")
	})
	var pyErr *embed.PyError
	require.True(t, errors.As(err, &pyErr), "%v", err)
	assert.Contains(t, pyErr.Message, "main thread")
}

func TestDoMainNestsAndSerializes(t *testing.T) {
	in := interp(t)
	var mu sync.Mutex
	order := []int{}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := in.DoMain(func(py *embed.Py) error {
				// DoMain inside DoMain runs at once instead of waiting for itself.
				return in.DoMain(func(py *embed.Py) error {
					mu.Lock()
					order = append(order, i)
					mu.Unlock()
					return py.Exec("import threading\nassert threading.current_thread() is threading.main_thread()")
				})
			})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Len(t, order, 4)
}

func TestDeepRecursionWithUnlimitedStackLimit(t *testing.T) {
	out := runInChild(t, "deep-recursion-unlimited-stack")
	assert.Contains(t, out, "deep recursion handled")
}

// deepRecursionUnlimitedStack starts CPython under `ulimit -s unlimited`,
// where Go's own threads get 2 MiB of stack: CPython's main thread must get
// more, or str() of a deeply nested dict crashes on 3.13t instead of
// raising RecursionError. From 3.14 on CPython bounds C recursion by the
// thread's real stack (compat.h, GK_MEASURES_C_STACK): on the 1 GiB stack
// the nesting is simply printed, in time quadratic in the depth
// (Py_ReprEnter), so a smaller depth, still twice what 3.13 allowed,
// shows it does not crash.
func deepRecursionUnlimitedStack() error {
	inf := syscall.Rlimit{Cur: ^uint64(0), Max: ^uint64(0)}
	if err := syscall.Setrlimit(syscall.RLIMIT_STACK, &inf); err != nil {
		return fmt.Errorf("raising the stack limit: %w", err)
	}
	if got := embed.MainThreadStackSize(); got != 1<<30 {
		return fmt.Errorf("MainThreadStackSize = %d under an unlimited limit", got)
	}
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	defer in.Close()
	return in.DoMain(func(py *embed.Py) error {
		return py.Exec(`
import sys
measures_stack = sys.version_info >= (3, 14)
depth = 20_000 if measures_stack else 200_000
d = cur = {}
for _ in range(depth):
    cur["k"] = cur = {}
try:
    str(d)
    assert measures_stack, "str() of a dict nested 200,000 deep did not raise RecursionError"
    print("deep recursion handled: printed", depth, "levels")
except RecursionError as e:
    print("deep recursion handled: RecursionError:", e)
`)
	})
}
