package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func TestMain(m *testing.M) {
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "..", "pyexamples")
	in, err := embed.Start(embed.Config{Path: []string{examples}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	in.Close()
	os.Exit(code)
}

func smallSpec(workloads, modes []string, workers ...int) Spec {
	s := DefaultSpec()
	s.Workloads, s.Modes, s.Workers = workloads, modes, workers
	s.Runs, s.Warmup = 2, 0
	s.Params = Params{Count: 20_000, IOOps: 4, SleepS: 0.005, MiB: 4, NumpyN: 16, NumpyReps: 2}
	return s
}

func interpreter(t *testing.T) *embed.Interpreter {
	in, err := embed.Default()
	require.NoError(t, err)
	return in
}

// TestEveryModeRunsForReal runs a small countdown in each mode against the
// real interpreter and checks the figures are complete and sane.
func TestEveryModeRunsForReal(t *testing.T) {
	in := interpreter(t)
	info, err := in.Info()
	require.NoError(t, err)
	var progress strings.Builder
	r := &Runner{In: in, Spec: smallSpec([]string{"countdown"}, Modes, 1, 2), Progress: &progress}
	results, err := r.Run()
	require.NoError(t, err)
	require.Len(t, results, len(Modes)*2)
	for _, res := range results {
		t.Run(fmt.Sprintf("%s_x%d", res.Mode, res.Workers), func(t *testing.T) {
			assert.Equal(t, info.Version, res.Interpreter.Version)
			assert.Equal(t, info.GILEnabled, res.Interpreter.GILEnabled)
			assert.Equal(t, runtime.NumCPU(), res.Machine.Cores)
			if res.Mode == "subinterpreters" && info.Version < "3.12" {
				assert.Contains(t, res.Skipped, "3.12 or newer", "3.11 says why it cannot")
				return
			}
			require.Empty(t, res.Skipped)
			assert.Equal(t, 2, res.Runs)
			assert.Len(t, res.RawWallS, 2)
			assert.Positive(t, res.WallS.Median)
			assert.Positive(t, res.CPUS.Median)
			assert.Len(t, res.PerWorker, res.Workers, "one entry per worker")
			for _, w := range res.PerWorker {
				assert.Positive(t, w.WallS)
				assert.LessOrEqual(t, w.WallS, res.WallS.Max*1.5+0.05, "a worker is not slower than the whole run")
			}
			require.NotNil(t, res.Speedup)
			assert.InDelta(t, res.Speedup.Value/float64(res.Workers), res.Efficiency, 1e-9)
		})
	}
	assert.Contains(t, progress.String(), fmt.Sprintf("[%d/%d]", len(Modes)*2, len(Modes)*2), "progress names every cell")
}

func TestIOAndReleaseWorkloadsRun(t *testing.T) {
	in := interpreter(t)
	r := &Runner{In: in, Spec: smallSpec([]string{"io-sleep", "io-socket", "io-file", "release-sha256", "release-zlib", "asyncio"}, []string{"serial", "threads", "goroutines"}, 2)}
	results, err := r.Run()
	require.NoError(t, err)
	for _, res := range results {
		assert.Empty(t, res.Skipped, "%s %s", res.Workload, res.Mode)
	}
	// Sleeping threads overlap their waits: 4 sleeps of 5 ms over 2 threads
	// take about half the serial time. Generous bounds: machines are noisy.
	byKey := map[string]Result{}
	for _, res := range results {
		byKey[res.Workload+"/"+res.Mode] = res
	}
	assert.Greater(t, byKey["io-sleep/threads"].Speedup.Value, 1.3)
	assert.Greater(t, byKey["asyncio/serial"].WallS.Median*1.5, 0.005, "asyncio waits take at least one sleep")
}

func TestNumpyIsSkippedWithAReasonWhenMissing(t *testing.T) {
	in := interpreter(t)
	var have bool
	require.NoError(t, in.Do(func(py *embed.Py) error {
		o, err := py.Eval("__import__('importlib.util').util.find_spec('numpy') is not None")
		if err != nil {
			return err
		}
		v, err := py.Go(o)
		have = v == true
		return err
	}))
	r := &Runner{In: in, Spec: smallSpec([]string{"release-numpy"}, []string{"serial"}, 1)}
	results, err := r.Run()
	require.NoError(t, err)
	if have {
		assert.Empty(t, results[0].Skipped)
	} else {
		assert.Contains(t, results[0].Skipped, "NumPy is not importable")
	}
}

func TestParseFlags(t *testing.T) {
	w, err := ParseWorkloads("io,countdown,io-sleep")
	require.NoError(t, err)
	assert.Equal(t, []string{"io-sleep", "io-socket", "io-file", "countdown"}, w)
	_, err = ParseWorkloads("cpu")
	assert.ErrorContains(t, err, `unknown workload "cpu"`)
	_, err = ParseModes("threads,fibers")
	assert.ErrorContains(t, err, `unknown mode "fibers"`)
	n, err := ParseWorkers("4,1,2,2")
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 4}, n)
	for _, bad := range []string{"0", "-1", "two", "1.5"} {
		_, err = ParseWorkers(bad)
		assert.Error(t, err, bad)
	}
}
