package matrix

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/machine/machinetest"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// shellRunner is a real runner without Python: each run is a shell process
// counting to a number, measured like the in-process runner measures.
type shellRunner struct {
	name    string
	count   int
	skip    map[string]string // workload -> reason
	fail    map[string]bool   // workload -> the run fails
	breakAt int               // the runner breaks at this run (0: never)
	calls   *[]string         // "name cell" per run, shared by runners
	runs    int
}

func (r *shellRunner) Identity() (results.Interpreter, machine.Machine) {
	return results.Interpreter{Name: r.name, Version: "0.0.1"}, machine.Current()
}

func (r *shellRunner) Unavailable(c results.Cell) (string, error) { return r.skip[c.Workload], nil }

func (r *shellRunner) RunOnce(c results.Cell) (results.Sample, error) {
	r.runs++
	*r.calls = append(*r.calls, r.name+" "+c.String())
	if r.breakAt > 0 && r.runs >= r.breakAt {
		return results.Sample{}, fmt.Errorf("worker died: %w", ErrBroken)
	}
	if r.fail[c.Workload] {
		return results.Sample{}, fmt.Errorf("NameError: name 'x' is not defined")
	}
	script := fmt.Sprintf("i=0; while [ $i -lt %d ]; do i=$((i+1)); done", r.count/max(c.Workers, 1)) // a probe has none
	var wall float64
	load, err := machine.Measure(func() error {
		t0 := time.Now()
		err := exec.Command("sh", "-c", script).Run()
		wall = time.Since(t0).Seconds()
		return err
	})
	return results.Sample{WallS: wall, CPUS: wall, Load: load}, err
}

func spec(workloads []string, modes []results.Mode, workers ...int) Spec {
	return Spec{Workloads: workloads, Modes: modes, Workers: workers, Runs: 2, Warmup: 1}
}

type recorder struct{ lines []string }

func (p *recorder) Running(t Tick) {
	p.lines = append(p.lines, fmt.Sprintf("run %d/%d [%d/%d] %s on %s", t.Done, t.Planned, t.K, t.Cells, t.Cell, t.Runner))
}
func (p *recorder) Done(k, cells int, c results.Cell, rs []results.Result) {
	p.lines = append(p.lines, fmt.Sprintf("done [%d/%d] %s: %d results", k, cells, c, len(rs)))
}
func (p *recorder) Note(k, cells int, c results.Cell, msg string) {
	p.lines = append(p.lines, fmt.Sprintf("note [%d/%d] %s: %s", k, cells, c, msg))
}

func TestDriveInterleavesAndRotates(t *testing.T) {
	var calls []string
	a := &shellRunner{name: "a", count: 2000, calls: &calls}
	b := &shellRunner{name: "b", count: 2000, calls: &calls}
	var progress recorder
	rs, err := Drive([]Runner{a, b}, spec([]string{"count"}, []results.Mode{"serial", "threads"}, 2), Options{Progress: &progress})
	require.NoError(t, err)
	require.Len(t, rs, 4)
	assert.Equal(t, []string{
		"a count serial x2", "b count serial x2", // warm-up: a first
		"b count serial x2", "a count serial x2", // run 1: b first
		"a count serial x2", "b count serial x2",
		"a count threads x2", "b count threads x2",
		"b count threads x2", "a count threads x2",
		"a count threads x2", "b count threads x2",
	}, calls)
	assert.Equal(t, "a", rs[0].Interpreter.Name)
	assert.Equal(t, results.Cell{Workload: "count", Mode: "threads", Workers: 2}, rs[3].Cell)
	for _, r := range rs {
		assert.True(t, r.Measured(), r.Cell.String())
		assert.Equal(t, 2, r.Runs, "warm-up is not counted")
		require.NotNil(t, r.OtherLoad, "every result says how busy the machine was")
		require.NotNil(t, r.Speedup, "speedups are filled")
	}
	assert.Contains(t, progress.lines, "run 0/12 [1/2] count serial x2 on a")
	assert.Contains(t, progress.lines, "done [2/2] count threads x2: 2 results")
}

func TestDriveSkipsAndFailsCellsNotTheMatrix(t *testing.T) {
	var calls []string
	r := &shellRunner{name: "a", count: 100, calls: &calls,
		skip: map[string]string{"numpy": "NumPy is not importable"}, fail: map[string]bool{"broken": true}}
	rs, err := Drive([]Runner{r}, spec([]string{"numpy", "broken", "count"}, []results.Mode{"serial"}, 1), Options{})
	require.NoError(t, err)
	require.Len(t, rs, 3)
	assert.Equal(t, "NumPy is not importable", rs[0].Skipped)
	assert.Equal(t, "failed: NameError: name 'x' is not defined", rs[1].Skipped)
	assert.True(t, rs[2].Measured())
	assert.NotContains(t, strings.Join(calls, ","), "numpy", "an unavailable cell is never run")
	assert.Equal(t, 1, strings.Count(strings.Join(calls, ","), "broken"), "a failed cell is not run again")
}

func TestDriveStopsOnABrokenRunnerKeepingResults(t *testing.T) {
	var calls []string
	r := &shellRunner{name: "a", count: 100, calls: &calls, breakAt: 4}
	rs, err := Drive([]Runner{r}, spec([]string{"one", "two"}, []results.Mode{"serial"}, 1), Options{})
	require.ErrorIs(t, err, ErrBroken)
	assert.ErrorContains(t, err, "a: two serial x1")
	require.Len(t, rs, 1, "what was measured before is kept")
	assert.Equal(t, "one", rs[0].Workload)
}

func TestDriveRejectsNonsense(t *testing.T) {
	_, err := Drive(nil, DefaultSpec(), Options{})
	assert.ErrorContains(t, err, "no runners")
	var calls []string
	bad := DefaultSpec()
	bad.Runs = 0
	_, err = Drive([]Runner{&shellRunner{name: "a", calls: &calls}}, bad, Options{})
	assert.ErrorContains(t, err, "runs must be at least 1")
}

// TestBusyNeighbourIsFlaggedAndRetried runs real cells beside a real busy
// loop that is not ours: every cell is flagged, and --retry-busy measures
// it again (the loop is still there, so it stays flagged).
func TestBusyNeighbourIsFlaggedAndRetried(t *testing.T) {
	machinetest.BusyLoop(t)
	var calls []string
	r := &shellRunner{name: "a", count: 300000, calls: &calls}
	var progress recorder
	s := spec([]string{"count"}, []results.Mode{"serial"}, 1)
	rs, err := Drive([]Runner{r}, s, Options{RetryBusy: 1, Progress: &progress})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	load := rs[0].OtherLoad
	require.NotNil(t, load)
	assert.True(t, load.Busy, "%+v", *load)
	assert.Greater(t, load.OtherCores, 0.5)
	assert.Equal(t, 2, load.Attempts, "measured once more")
	assert.Len(t, calls, 2*(s.Warmup+s.Runs))
	assert.Contains(t, strings.Join(progress.lines, "\n"), "measured on a busy machine (other processes used")
}

func TestProbeCells(t *testing.T) {
	s := Spec{Workloads: []string{"countdown", results.ProbeLatency, results.ProbeIO}, Modes: []results.Mode{"serial"}, Workers: []int{1},
		CPUThreads: []int{0, 1, 2}, Sweep: []float64{0.0005, results.DefaultSwitchIntervalS, 0.05}, SweepCPUThreads: 1}
	var got []string
	for _, c := range s.Cells() {
		got = append(got, c.String())
	}
	assert.Equal(t, []string{
		"countdown serial x1",
		"probe-latency goroutine, 0 CPU threads, switch 5ms", "probe-latency thread, 0 CPU threads, switch 5ms",
		"probe-latency goroutine, 1 CPU thread, switch 5ms", "probe-latency thread, 1 CPU thread, switch 5ms",
		"probe-latency goroutine, 2 CPU threads, switch 5ms", "probe-latency thread, 2 CPU threads, switch 5ms",
		"probe-latency goroutine, 1 CPU thread, switch 500µs", "probe-latency thread, 1 CPU thread, switch 500µs",
		// 5ms with 1 CPU thread is already there, once
		"probe-latency goroutine, 1 CPU thread, switch 50ms", "probe-latency thread, 1 CPU thread, switch 50ms",
		"probe-io thread, 0 CPU threads, switch 5ms", "probe-io thread, 1 CPU thread, switch 5ms", "probe-io thread, 2 CPU threads, switch 5ms",
	}, got)
}

// Probe cells have no warm-up run: each run starts its own threads.
func TestProbeCellsSkipTheWarmup(t *testing.T) {
	var calls []string
	r := &shellRunner{name: "a", count: 100, calls: &calls}
	s := Spec{Workloads: []string{"count", results.ProbeIO}, Modes: []results.Mode{"serial"}, Workers: []int{1}, CPUThreads: []int{1}, Runs: 2, Warmup: 2}
	var progress recorder
	rs, err := Drive([]Runner{r}, s, Options{Progress: &progress})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, []string{"a count serial x1", "a count serial x1", "a count serial x1", "a count serial x1",
		"a probe-io thread, 1 CPU thread, switch 5ms", "a probe-io thread, 1 CPU thread, switch 5ms"}, calls)
	assert.Equal(t, 2, rs[1].Runs)
	assert.Contains(t, progress.lines, "run 5/6 [2/2] probe-io thread, 1 CPU thread, switch 5ms on a", "the total counts no warm-up for probes")
}
