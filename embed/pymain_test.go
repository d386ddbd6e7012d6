package embed_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// commandEnv carries a Command to the child process that runs it.
const commandEnv = "GILKIT_TEST_COMMAND"

type commandSpec struct {
	Args  []string
	Grace time.Duration
	// CancelWhen is a file the program creates when it is ready to be
	// cancelled (a deadline would race with a slow start on a loaded
	// machine).
	CancelWhen string
}

func init() {
	childScenarios["command"] = runCommandScenario
	childScenarios["fork-in-do"] = forkInDo
	childScenarios["environment-off-by-default"] = environmentOffByDefault
}

// runCommandScenario runs the Command in commandEnv, prints how Run
// returned and exits with its status, as a command-line program would.
// Python may also end the process itself, as python would (sys.exit from a
// script file).
func runCommandScenario() error {
	var spec commandSpec
	if err := json.Unmarshal([]byte(os.Getenv(commandEnv)), &spec); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if spec.CancelWhen != "" {
		go func() {
			for {
				if _, err := os.Stat(spec.CancelWhen); err == nil {
					cancel()
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	status, err := embed.Command{Args: spec.Args, Grace: spec.Grace}.Run(ctx)
	fmt.Printf("Run returned status=%d err=%v\n", status, err)
	if _, err := embed.Start(embed.Config{}); !errors.Is(err, embed.ErrFinalized) && !errors.Is(err, embed.ErrAlreadyStarted) {
		return fmt.Errorf("Start after Run: %v", err)
	}
	os.Exit(status)
	return nil
}

// childStatus runs scenario in a fresh test process and returns its combined
// output and exit status (-1 when killed by a signal).
func childStatus(t *testing.T, scenario string, env ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+scenario), env...)
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		require.NoError(t, err)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

func TestCommandRun(t *testing.T) {
	dir := t.TempDir()
	script := func(name, src string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
		return p
	}
	ready, ready2 := filepath.Join(dir, "ready"), filepath.Join(dir, "ready2")
	cases := []struct {
		name       string
		spec       commandSpec
		wantStatus int
		want       []string
	}{
		{
			name: "a script runs as __main__ on the main thread",
			spec: commandSpec{Args: []string{script("ok.py", "import sys, threading\nprint(__name__, threading.current_thread().name, sys.argv[1:])\n"), "a"}},
			want: []string{"__main__ MainThread ['a']", "Run returned status=0 err=<nil>"},
		},
		{
			name:       "an uncaught exception prints its traceback and gives 1",
			spec:       commandSpec{Args: []string{script("raise.py", "raise ValueError('boom')\n")}},
			wantStatus: 1,
			want:       []string{"ValueError: boom", "Run returned status=1 err=<nil>"},
		},
		{
			name:       "sys.exit gives its status",
			spec:       commandSpec{Args: []string{"-c", "import sys; print('bye'); sys.exit(5)"}},
			wantStatus: 5,
			want:       []string{"bye"},
		},
		{
			name:       "sys.exit in a script file ends the process itself, as in python",
			spec:       commandSpec{Args: []string{script("exit.py", "import sys\nprint('bye')\nsys.exit(6)\n")}},
			wantStatus: 6,
			want:       []string{"bye"},
		},
		{
			name: "python's options and -m",
			spec: commandSpec{Args: []string{"-X", "dev", "-m", "platform"}},
			want: []string{"Linux", "Run returned status=0 err=<nil>"},
		},
		{
			name: "a cancelled run is interrupted, finishes its atexit work and returns",
			spec: commandSpec{Args: []string{"-c", "import atexit, sys, time\natexit.register(print, 'atexit ran')\nopen(sys.argv[1], 'w').close()\ntime.sleep(60)", ready}, CancelWhen: ready},
			want: []string{"KeyboardInterrupt", "atexit ran", "Run returned status=0 err=embed: python program stopped: context canceled"},
		},
		{
			name: "a run that cannot be interrupted is given up after the grace period",
			spec: commandSpec{Args: []string{"-c", "import sys, time\nwhile True:\n    try:\n        open(sys.argv[1], 'w').close()\n        time.sleep(60)\n    except BaseException:\n        pass", ready2}, CancelWhen: ready2, Grace: 200 * time.Millisecond},
			want: []string{"it did not stop in time after being interrupted: waited 200ms"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := json.Marshal(tc.spec)
			require.NoError(t, err)
			out, status := childStatus(t, "command", commandEnv+"="+string(spec))
			assert.Equal(t, tc.wantStatus, status, out)
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
		})
	}
}

// forkInDo forks inside Do: the child must end when its Python code returns
// into gilkit (the Go runtime cannot run in it), with its Python status.
func forkInDo() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	defer in.Close()
	return in.Do(func(py *embed.Py) error {
		return py.Exec(`
import os
pid = os.fork()
if pid == 0:
    print("in the child", flush=True)
    raise SystemExit(7)
_, status = os.waitpid(pid, 0)
print("child status", os.waitstatus_to_exitcode(status))
`)
	})
}

func TestForkInDoEndsTheChild(t *testing.T) {
	out, status := childStatus(t, "fork-in-do")
	assert.Equal(t, 0, status, out)
	assert.Contains(t, out, "in the child")
	assert.Contains(t, out, "child status 7")
}

// environmentOffByDefault: a library's interpreter ignores PYTHON*
// variables unless Config.ReadEnvironment says otherwise.
func environmentOffByDefault() error {
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return err
	}
	defer in.Close()
	return in.Do(func(py *embed.Py) error {
		return py.Exec("import sys\nassert not sys.dont_write_bytecode, 'PYTHONDONTWRITEBYTECODE was read'\nassert sys.flags.ignore_environment")
	})
}

func TestEnvironmentIsIgnoredByDefault(t *testing.T) {
	out, status := childStatus(t, "environment-off-by-default", "PYTHONDONTWRITEBYTECODE=1")
	assert.Equal(t, 0, status, out)
}
