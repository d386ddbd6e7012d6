package embed_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// childEnv marks a re-executed test binary that runs one scenario in a
// process of its own: CPython starts once per process, so lifecycle and
// GIL-setting tests need fresh processes.
const childEnv = "GILKIT_TEST_CHILD"

func TestMain(m *testing.M) {
	scenario := os.Getenv(childEnv)
	if !bareScenarios[scenario] {
		if err := embed.RegisterFuncs(countdownFuncs...); err != nil {
			fmt.Fprintln(os.Stderr, "registering the tests' Go functions:", err)
			os.Exit(1)
		}
	}
	if scenario != "" {
		os.Exit(runChild(scenario))
	}
	in, err := embed.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting CPython:", err)
		os.Exit(1)
	}
	info, err := in.Info()
	if err != nil {
		fmt.Fprintln(os.Stderr, "reading interpreter info:", err)
		os.Exit(1)
	}
	fmt.Printf("testing against CPython %s (%s, free-threaded=%v, GIL on=%v)\n", info.Version, info.LibPython, info.FreeThreaded, info.GILEnabled)
	os.Exit(m.Run())
}

// interp returns the shared interpreter of the test process.
func interp(t testing.TB) *embed.Interpreter {
	t.Helper()
	in, err := embed.Default()
	require.NoError(t, err)
	return in
}

// do runs fn attached and fails the test on error.
func do(t testing.TB, fn func(py *embed.Py) error) {
	t.Helper()
	require.NoError(t, interp(t).Do(fn))
}

// childTimeout bounds a child scenario: a child that deadlocks is killed and
// fails its test instead of hanging the run.
const childTimeout = 90 * time.Second

// runInChild runs scenario in a fresh test process with extra environment
// and returns its combined output; the test fails if the child fails or
// does not finish within childTimeout.
func runInChild(t *testing.T, scenario string, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+scenario), env...)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("child %s did not finish within %v (deadlock?); its output:\n%s", scenario, childTimeout, out)
	}
	require.NoError(t, err, "child %s failed:\n%s", scenario, out)
	return string(out)
}

// runChild executes one child scenario and returns the exit status.
func runChild(scenario string) int {
	f, ok := childScenarios[scenario]
	if !ok {
		fmt.Println("unknown child scenario", scenario)
		return 2
	}
	if err := f(); err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	return 0
}

// childScenarios are filled in by the test files that need them.
var childScenarios = map[string]func() error{}
