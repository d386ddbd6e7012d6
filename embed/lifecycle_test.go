package embed_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func init() {
	childScenarios["lifecycle"] = lifecycleScenario
	childScenarios["info"] = func() error {
		in, err := embed.Start(embed.Config{})
		if err != nil {
			return err
		}
		info, err := in.Info()
		if err != nil {
			return err
		}
		b, _ := json.Marshal(info)
		fmt.Printf("INFO %s\n", b)
		return in.Close()
	}
}

// lifecycleScenario checks every lifecycle error in a process of its own.
func lifecycleScenario() error {
	check := func(what string, got, want error) error {
		if !errors.Is(got, want) {
			return fmt.Errorf("%s: got %v, want %v", what, got, want)
		}
		return nil
	}
	in, err := embed.Start(embed.Config{Argv: []string{"prog", "a1"}, Path: []string{"/gilkit-test-path"}})
	if err != nil {
		return err
	}
	_, err = embed.Start(embed.Config{})
	if err := check("second Start", err, embed.ErrAlreadyStarted); err != nil {
		return err
	}
	err = in.Do(func(py *embed.Py) error {
		o, err := py.Eval("(__import__('sys').argv, __import__('sys').path[0])")
		if err != nil {
			return err
		}
		v, err := py.Go(o)
		if err != nil {
			return err
		}
		if got := fmt.Sprint(v); got != "[[prog a1] /gilkit-test-path]" {
			return fmt.Errorf("argv and path: got %s", got)
		}
		// Close from inside Do must refuse rather than deadlock.
		if err := in.Close(); err == nil || !strings.Contains(err.Error(), "inside a Do closure") {
			return fmt.Errorf("Close inside Do: got %v", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := in.Close(); err != nil {
		return fmt.Errorf("Close: %w", err)
	}
	if err := check("Do after Close", in.Do(func(*embed.Py) error { return nil }), embed.ErrClosed); err != nil {
		return err
	}
	if _, err := in.Info(); !errors.Is(err, embed.ErrClosed) {
		return fmt.Errorf("Info after Close: %v", err)
	}
	if err := check("Close twice", in.Close(), embed.ErrClosed); err != nil {
		return err
	}
	_, err = embed.Start(embed.Config{})
	if err := check("Start after Close", err, embed.ErrFinalized); err != nil {
		return err
	}
	_, err = embed.Default()
	if err := check("Default after Close", err, embed.ErrFinalized); err != nil {
		return err
	}
	_, err = in.NewSubinterpreter()
	if err := check("NewSubinterpreter after Close", err, embed.ErrClosed); err != nil {
		return err
	}
	fmt.Println("LIFECYCLE OK")
	return nil
}

func TestLifecycleErrorsAreValuesNotCrashes(t *testing.T) {
	out := runInChild(t, "lifecycle")
	assert.Contains(t, out, "LIFECYCLE OK")
}

func TestStartTwiceInSharedProcess(t *testing.T) {
	interp(t)
	_, err := embed.Start(embed.Config{})
	require.ErrorIs(t, err, embed.ErrAlreadyStarted)
}

// TestGILState checks the GIL at run time on each build: always on with a
// GIL build; on a free-threaded build off by default and on with
// PYTHON_GIL=1 (which is how the 3.13t+gil variant runs).
func TestGILState(t *testing.T) {
	cases := []struct {
		name    string
		env     []string
		wantGIL bool
	}{
		{"default", []string{"PYTHON_GIL="}, !embed.FreeThreaded()},
		{"PYTHON_GIL=1", []string{"PYTHON_GIL=1"}, true},
		{"PYTHON_GIL=0", []string{"PYTHON_GIL=0"}, !embed.FreeThreaded()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := runInChild(t, "info", tc.env...)
			var info embed.Info
			line := out[strings.Index(out, "INFO ")+len("INFO "):]
			line = line[:strings.Index(line, "\n")]
			require.NoError(t, json.Unmarshal([]byte(line), &info), out)
			assert.Equal(t, tc.wantGIL, info.GILEnabled, "gil_enabled")
			assert.Equal(t, embed.FreeThreaded(), info.FreeThreaded, "free_threaded")
			if embed.FreeThreaded() && tc.wantGIL {
				assert.True(t, strings.HasSuffix(info.Name, "t+gil"), info.Name)
			}
		})
	}
}

func TestInfoDescribesTheLinkedInterpreter(t *testing.T) {
	info, err := interp(t).Info()
	require.NoError(t, err)
	assert.Equal(t, embed.FreeThreaded(), info.FreeThreaded)
	assert.True(t, strings.HasPrefix(info.Version, strings.TrimSuffix(embed.BuildName(), "t")+"."), "version %s vs build %s", info.Version, embed.BuildName())
	assert.FileExists(t, info.LibPython)
	// sys.executable must be a real Python, not the Go test binary, or
	// multiprocessing would start copies of the test.
	assert.NotEqual(t, os.Args[0], info.Executable)
	assert.FileExists(t, info.Executable)
	if name := os.Getenv("GILKIT_PYTHON"); name != "" {
		assert.Equal(t, strings.TrimSuffix(name, "+gil"), embed.BuildName(), "make test linked the interpreter it names")
	}
}

func TestSwitchInterval(t *testing.T) {
	in := interp(t)
	orig, err := in.SwitchInterval()
	require.NoError(t, err)
	assert.Positive(t, orig)
	t.Cleanup(func() { require.NoError(t, in.SetSwitchInterval(orig)) })

	require.NoError(t, in.SetSwitchInterval(1e6)) // 1 ms
	got, err := in.SwitchInterval()
	require.NoError(t, err)
	assert.Equal(t, "1ms", got.String())
	assert.Error(t, in.SetSwitchInterval(0))
}
