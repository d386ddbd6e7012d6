package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/machine/machinetest"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/provenance"
	"github.com/gilkit/gilkit/gilctl/internal/results"
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

func smallSpec(workloads []string, modes []results.Mode, workers ...int) matrix.Spec {
	s := matrix.DefaultSpec()
	s.Workloads, s.Modes, s.Workers = workloads, modes, workers
	s.Runs, s.Warmup = 2, 0
	s.Params = results.Params{Count: 20_000, IOOps: 4, SleepS: 0.005, MiB: 4, NumpyN: 16, NumpyReps: 2}
	return s
}

func newRunner(t *testing.T, spec matrix.Spec) *Runner {
	in, err := embed.Default()
	require.NoError(t, err)
	r, err := NewRunner(in, "", spec.Params)
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

func drive(t *testing.T, spec matrix.Spec) []results.Result {
	rs, err := matrix.Drive([]matrix.Runner{newRunner(t, spec)}, spec, matrix.Options{})
	require.NoError(t, err)
	return rs
}

func version(t *testing.T, s string) results.Version {
	v, err := results.ParseVersion(s)
	require.NoError(t, err)
	return v
}

// TestEveryModeRunsForReal runs a small countdown in each mode against the
// real interpreter and checks the figures are complete and sane.
func TestEveryModeRunsForReal(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	info, err := in.Info()
	require.NoError(t, err)
	rs := drive(t, smallSpec([]string{"countdown"}, results.Modes(), 1, 2))
	require.Len(t, rs, len(results.Modes())*2)
	for _, res := range rs {
		t.Run(fmt.Sprintf("%s_x%d", res.Mode, res.Workers), func(t *testing.T) {
			assert.Equal(t, info.Version, res.Interpreter.Version)
			assert.Equal(t, info.GILEnabled, res.Interpreter.GILEnabled)
			assert.Equal(t, runtime.NumCPU(), res.Machine.Cores)
			if res.Mode == "subinterpreters" && !version(t, info.Version).AtLeast(results.Version{3, 12, 0}) {
				assert.Contains(t, res.Skipped, "3.12 or newer", "3.11 says why it cannot")
				return
			}
			require.Empty(t, res.Skipped)
			assert.Equal(t, 2, res.Runs)
			assert.Len(t, res.RawWallS, 2)
			assert.Positive(t, res.WallS.Median)
			assert.Positive(t, res.CPUS.Median)
			require.NotNil(t, res.OtherLoad, "every result says what else the machine did")
			assert.Len(t, res.PerWorker, res.Workers, "one entry per worker")
			for _, w := range res.PerWorker {
				assert.Positive(t, w.WallS)
				assert.LessOrEqual(t, w.WallS, res.WallS.Max*1.5+0.05, "a worker is not slower than the whole run")
			}
			require.NotNil(t, res.Speedup)
			assert.InDelta(t, res.Speedup.Value/float64(res.Workers), res.Efficiency, 1e-9)
		})
	}
}

func TestIOAndReleaseWorkloadsRun(t *testing.T) {
	spec := smallSpec([]string{"io-sleep", "io-socket", "io-file", "release-sha256", "release-zlib", "asyncio"}, []results.Mode{"serial", "threads", "goroutines"}, 2)
	rs := drive(t, spec)
	for _, res := range rs {
		assert.Empty(t, res.Skipped, "%s", res.Cell)
	}
	// Sleeps take at least their time: 4 sleeps of 5 ms one after another
	// take at least 20 ms, however fast or loaded the machine is.
	ix := results.NewIndex(rs)
	serial, ok := ix.Get(rs[0].Interpreter.Name, results.Cell{Workload: "io-sleep", Mode: "serial", Workers: 2})
	require.True(t, ok)
	assert.GreaterOrEqual(t, serial.WallS.Min, 4*spec.Params.SleepS)
	socket, _ := ix.Get(rs[0].Interpreter.Name, results.Cell{Workload: "io-socket", Mode: "serial", Workers: 2})
	assert.GreaterOrEqual(t, socket.WallS.Min, 4*spec.Params.SleepS, "every round trip waits for the echo server's delay")
}

func TestNumpyIsSkippedWithAReasonWhenMissing(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	var have bool
	require.NoError(t, in.Do(func(py *embed.Py) error {
		util, err := py.Import("importlib.util")
		if err != nil {
			return err
		}
		defer util.Close()
		findSpec, err := py.Attr(util, "find_spec")
		if err != nil {
			return err
		}
		defer findSpec.Close()
		spec, err := callGo(py, findSpec, "numpy")
		have = spec != nil
		return err
	}))
	rs := drive(t, smallSpec([]string{"release-numpy"}, []results.Mode{"serial"}, 1))
	if have {
		assert.Empty(t, rs[0].Skipped)
	} else {
		assert.Contains(t, rs[0].Skipped, "NumPy is not importable")
	}
}

func TestUnknownWorkloadAndModeSayWhy(t *testing.T) {
	r := newRunner(t, smallSpec(nil, nil, 1))
	reason, err := r.Unavailable(results.Cell{Workload: "nope", Mode: "serial", Workers: 1})
	require.NoError(t, err)
	assert.Equal(t, "unknown workload 'nope'", reason)
	reason, err = r.Unavailable(results.Cell{Workload: "countdown", Mode: "fibers", Workers: 1})
	require.NoError(t, err)
	assert.Equal(t, `unknown mode "fibers"`, reason)
}

// TestClosedRunnerFailsCleanly: there is no set-up step to forget (the
// constructor does it), and a closed runner says so instead of panicking.
func TestClosedRunnerFailsCleanly(t *testing.T) {
	r := newRunner(t, smallSpec(nil, nil, 1))
	require.NoError(t, r.Close())
	require.NoError(t, r.Close(), "twice is fine")
	_, err := r.Unavailable(results.Cell{Workload: "countdown", Mode: "serial", Workers: 1})
	assert.ErrorIs(t, err, matrix.ErrClosed)
	_, err = r.RunOnce(results.Cell{Workload: "countdown", Mode: "serial", Workers: 1})
	assert.ErrorIs(t, err, matrix.ErrClosed)
}

// TestBusyCellIsFlaggedAndNotJudged is the case with real parts: a
// real busy loop (a process that is not ours) keeps a core busy while the
// real interpreter runs countdown serially and with two processes. Every
// cell is flagged, check sets every pair of runs aside and turns none of
// them into a verdict.
func TestBusyCellIsFlaggedAndNotJudged(t *testing.T) {
	machinetest.BusyLoop(t)
	spec := smallSpec([]string{"countdown"}, []results.Mode{"serial", "processes"}, 2)
	spec.Params.Count = 2_000_000 // long enough that the kernel's 10 ms ticks can tell
	rs := drive(t, spec)
	for _, r := range rs {
		require.True(t, r.Measured(), r.Cell.String())
		require.NotNil(t, r.OtherLoad)
		assert.True(t, r.Busy(), "%s: %+v", r.Cell, *r.OtherLoad)
	}
	v := check.Evaluate(rs, check.Facts{}).Claims
	for _, c := range v {
		if c.ID == "multiprocessing-parallel" {
			got := c.Verdicts[rs[0].Interpreter.Name]
			assert.Equal(t, check.Inconclusive, got.Verdict)
			assert.Contains(t, got.Evidence, "countdown processes x2: not judged: all")
			assert.Contains(t, got.Evidence, "pairs of runs were measured on a busy machine")
		}
	}
}

// Results carry the source record provisioning wrote into the prefix, so
// that check can tell a same-source GIL build from another release; and
// the record describes the interpreter make test linked.
func TestIdentityCarriesTheSourceRecord(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	info, err := in.Info()
	require.NoError(t, err)
	rec, err := provenance.Read(info.Prefix)
	require.NoError(t, err)
	id, err := Identity(info, "x")
	require.NoError(t, err)
	if rec == nil {
		assert.Nil(t, id.Source, "no record in %s", info.Prefix)
		return
	}
	assert.Equal(t, info.Version, rec.Version, "the record describes this interpreter's release")
	assert.Contains(t, []string{"python.org", "debian", "GILKIT_SOURCES", provenance.OriginDebianBinary}, rec.Origin)
	require.NotNil(t, id.Source)
	want := results.Source{Version: rec.Version, Tarball: rec.Tarball, SHA256: rec.SHA256, Origin: rec.Origin}
	if rec.Origin == provenance.OriginDebianBinary {
		// No tarball: never "the same source" as a build; the package
		// names the build instead: the interpreter's own, of this
		// release, first, and the prefix's glibc among the rest.
		require.NotEmpty(t, rec.Packages)
		first := rec.Packages[0]
		assert.Equal(t, "libpython"+strings.TrimSuffix(embed.BuildName(), "t"), first.Name)
		assert.True(t, strings.HasPrefix(first.Version, info.Version+"-"), "package %s %s is CPython %s", first.Name, first.Version, info.Version)
		var names []string
		for _, p := range rec.Packages {
			names = append(names, p.Name)
		}
		assert.Contains(t, names, "libc6")
		assert.True(t, strings.HasPrefix(info.LibPython, info.Prefix+"/lib/"), "libpython %s is the prefix's own", info.LibPython)
		want.Package = first.Name + " " + first.Version
		assert.Empty(t, id.Source.SHA256)
	}
	assert.Equal(t, want, *id.Source)
	if prefix := os.Getenv("GILKIT_PYTHON_PREFIX"); prefix != "" {
		wantDir, err := filepath.EvalSymlinks(prefix)
		require.NoError(t, err)
		gotDir, err := filepath.EvalSymlinks(info.Prefix)
		require.NoError(t, err)
		assert.Equal(t, wantDir, gotDir, "sys.prefix is the prefix make test built against")
	}
}

func probeSpec(cpuThreads []int, sweep ...float64) matrix.Spec {
	s := smallSpec([]string{results.ProbeLatency, results.ProbeIO}, nil)
	s.CPUThreads, s.Sweep, s.SweepCPUThreads = cpuThreads, sweep, 1
	s.Params.ProbeDurationS, s.Params.ProbeMinSamples, s.Params.ProbePeriodS, s.Params.ProbeIODelayS = 0.1, 5, 0.002, 0.0001
	return s
}

// TestProbesRunForReal runs each probe briefly on the real interpreter,
// idle and beside a CPU-bound thread. Only what no load can flip is
// asserted: samples exist, latencies are positive and finite, the I/O
// probe made round trips, and with the GIL on the slowest latency beside a
// CPU-bound thread is at least half the switch interval (at 5 ms and at
// 50 ms). How small latencies are without the GIL is the benchmark's
// business: a loaded machine can make them large.
func TestProbesRunForReal(t *testing.T) {
	spec := probeSpec([]int{0, 1}, 0.05)
	rs := drive(t, spec)
	require.Len(t, rs, 2*2+2+2, "goroutine and thread at 0 and 1 CPU threads, the sweep at 1, io at 0 and 1")
	for _, r := range rs {
		t.Run(r.Cell.String(), func(t *testing.T) {
			require.Empty(t, r.Skipped)
			require.NotNil(t, r.OtherLoad, "the load is recorded around every probe run")
			switch r.Workload {
			case results.ProbeLatency:
				require.NotNil(t, r.Latency)
				assert.GreaterOrEqual(t, r.Latency.N, spec.Runs*spec.Params.ProbeMinSamples)
				assert.Len(t, r.RawLatenciesS, r.Latency.N)
				assert.Positive(t, r.Latency.P50S)
				assert.LessOrEqual(t, r.Latency.P50S, r.Latency.P99S)
				assert.LessOrEqual(t, r.Latency.P99S, r.Latency.MaxS)
				assert.Less(t, r.Latency.MaxS, 30.0, "a latency is finite")
				total := 0
				for _, b := range r.Latency.Histogram {
					total += b.Count
				}
				assert.Equal(t, r.Latency.N, total, "the histogram counts every sample")
				if r.Interpreter.GILEnabled && r.CPUThreads >= 1 {
					// Whenever the probe asks while the CPU-bound thread holds
					// the GIL, it waits until it has waited a whole switch
					// interval and asked for a drop: a slower machine only
					// waits longer. (Not every sample: on a loaded machine the
					// CPU-bound thread, woken too late, may leave the GIL free
					// for a while after the probe's last turn, so only the
					// slowest sample is asserted, not the median.)
					assert.GreaterOrEqual(t, r.Latency.MaxS, 0.5*r.SwitchIntervalS,
						"with the GIL, getting to run Python waits about a switch interval")
				}
			case results.ProbeIO:
				require.NotNil(t, r.RoundTripsPerS)
				assert.Positive(t, r.RoundTripsPerS.Min, "round trips happen even under load")
				if r.CPUThreads > 0 {
					require.NotNil(t, r.OfIdle, "compared with the idle run")
					assert.Positive(t, r.OfIdle.Value)
				}
			}
		})
	}
}

// TestSweepCellsRunAtTheirInterval: the CPU-bound threads run at the
// cell's switch interval and the interpreter's own is restored after.
func TestSweepCellsRunAtTheirInterval(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	before, err := in.SwitchInterval()
	require.NoError(t, err)
	spec := probeSpec([]int{1}, 0.0005)
	spec.Workloads = []string{results.ProbeLatency}
	rs := drive(t, spec)
	ix := results.NewIndex(rs)
	_, ok := ix.Get(rs[0].Interpreter.Name, results.Cell{Workload: results.ProbeLatency, Prober: results.ProbeGoroutine, CPUThreads: 1, SwitchIntervalS: 0.0005})
	assert.True(t, ok)
	after, err := in.SwitchInterval()
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

func TestProbeCellsSayWhyTheyCannotRun(t *testing.T) {
	r := newRunner(t, smallSpec(nil, nil, 1))
	for c, want := range map[results.Cell]string{
		{Workload: results.ProbeLatency, Prober: "fiber", CPUThreads: 1, SwitchIntervalS: 0.005}:           `unknown latency probe "fiber"`,
		{Workload: results.ProbeIO, Prober: results.ProbeGoroutine, CPUThreads: 1, SwitchIntervalS: 0.005}: "runs in a Python thread",
		{Workload: results.ProbeLatency, Prober: results.ProbeThread, CPUThreads: 1}:                       "switch interval above 0",
	} {
		reason, err := r.Unavailable(c)
		require.NoError(t, err)
		assert.Contains(t, reason, want)
	}
}

// The echo server's short delays are real delays, not rounded up to the
// millisecond of Go's timers: a 100 µs pause is far shorter than 1 ms on
// average (a loaded machine adds latency, never removes it, so only the
// lower bound is asserted tightly).
func TestShortPausesArePrecise(t *testing.T) {
	const n = 50
	t0 := time.Now()
	for range n {
		pause(100 * time.Microsecond)
	}
	mean := time.Since(t0) / n
	assert.GreaterOrEqual(t, mean, 100*time.Microsecond)
	t.Logf("pause(100µs) took %v on average", mean)
}
