package check

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

var (
	gil312 = results.Interpreter{Name: "3.12", Version: "3.12.1", GILEnabled: true}
	ft313  = results.Interpreter{Name: "3.13t", Version: "3.13.15", FreeThreaded: true}
	ft313g = results.Interpreter{Name: "3.13t+gil", Version: "3.13.15", FreeThreaded: true, GILEnabled: true}
)

// spread gives six runs around median m, ±pct percent, in one of a few
// orders: the runs of two cells are paired by position, so cells get
// different orders and their ratios a spread.
func spread(m, pct float64, order int) []float64 {
	d := m * pct / 100
	xs := []float64{m - d, m - d/2, m, m, m + d/2, m + d}
	perm := orders[order%len(orders)]
	out := make([]float64, len(xs))
	for i, j := range perm {
		out[i] = xs[j]
	}
	return out
}

var orders = [][]int{{0, 1, 2, 3, 4, 5}, {2, 5, 0, 4, 1, 3}, {4, 0, 3, 1, 5, 2}, {1, 3, 5, 0, 2, 4}}

// orderOf picks a cell's order of runs: by interpreter, and another one
// for every mode but serial.
func orderOf(i results.Interpreter, mode results.Mode) int {
	o := map[string]int{"3.12": 0, "3.13t": 1, "3.13t+gil": 2}[i.Name]
	if mode != "serial" {
		o++
	}
	return o
}

// quiet is the load of a run on a quiet machine.
func quiet(wall float64) *machine.Activity {
	return &machine.Activity{WallS: wall, OwnCPUS: wall, OtherCPUS: 0.001, ResolutionS: 0.017}
}

// cell builds a measured result from six runs around a median wall time.
func cell(i results.Interpreter, workload string, mode results.Mode, workers int, wall, pct float64) results.Result {
	return cellWithLoad(i, workload, mode, workers, wall, pct, quiet)
}

// cellWithLoad is cell with the machine's load during each run.
func cellWithLoad(i results.Interpreter, workload string, mode results.Mode, workers int, wall, pct float64, load func(wall float64) *machine.Activity) results.Result {
	var samples []results.Sample
	for _, w := range spread(wall, pct, orderOf(i, mode)) {
		samples = append(samples, results.Sample{WallS: w, CPUS: w, Load: load(w)})
	}
	return results.NewResult(i, machine.Machine{Cores: 2}, results.Cell{Workload: workload, Mode: mode, Workers: workers},
		results.Params{IOOps: 8, SleepS: 0.02}, samples, results.DefaultBusyCores)
}

// fixture: per interpreter, serial walls and speedups of a few cells, with
// 2% spread (decisive) unless a case says otherwise.
func fixture() []results.Result {
	var out []results.Result
	for _, c := range []struct {
		i                             results.Interpreter
		cpuThreads, procs, sha, ioThr float64
		serialWall                    float64
	}{
		{gil312, 0.98, 1.8, 1.9, 2.0, 1.0},
		{ft313, 1.9, 1.9, 1.9, 2.0, 1.7},
		{ft313g, 1.0, 1.9, 1.8, 2.0, 1.75},
	} {
		out = append(out,
			cell(c.i, "countdown", "serial", 1, c.serialWall, 1),
			cell(c.i, "countdown", "serial", 2, c.serialWall, 1),
			cell(c.i, "countdown", "threads", 2, c.serialWall/c.cpuThreads, 1),
			cell(c.i, "countdown", "processes", 2, c.serialWall/c.procs, 1),
			cell(c.i, "release-sha256", "serial", 2, 0.2, 1),
			cell(c.i, "release-sha256", "threads", 2, 0.2/c.sha, 1),
			cell(c.i, "io-sleep", "serial", 2, 0.16, 1),
			cell(c.i, "io-sleep", "threads", 2, 0.16/c.ioThr, 1),
			cell(c.i, "io-sleep", "serial", 1, 0.16, 1),
			cell(c.i, "asyncio", "serial", 1, 0.021, 1),
		)
	}
	results.AddSpeedups(out)
	return out
}

// The cells some tests judge directly.
var (
	cpuThreadsCell = timed(results.Countdown, results.Threads, 2)
	ioThreadsCell  = timed(results.IOSleep, results.Threads, 2)
	processesCell  = timed(results.Countdown, results.Processes, 2)
)

// speedupOf is the comparison claim id makes of c's speedup on n.
func speedupOf(id, n string, c results.Cell, r rule) Comparison {
	return speedup(c, r).on(id, n, "", results.Params{})
}

func facts() Facts {
	return Facts{
		RefcountOutput: map[string]string{"3.12": "4294967295\n4294967295\n", "3.13t": "4294967295\n4294967295\n", "3.13t+gil": "4294967295\n4294967295\n", "3.11": "4\n5\n"},
		Info:           map[string]results.Interpreter{"3.11": {Name: "3.11", Version: "3.11.7", GILEnabled: true}},
	}
}

func find(t *testing.T, r Report, id string) Claim {
	for _, c := range r.Claims {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("claim %s missing", id)
	return Claim{}
}

func TestVerdicts(t *testing.T) {
	r := Evaluate(fixture(), facts())
	cases := []struct {
		id, interp, want, evidence string
	}{
		{"cpu-threads-no-speedup", "3.12", Holds, "0.98 times as fast as serial"},
		{"cpu-threads-no-speedup", "3.12", Holds, "95% CS 0.95–1.01, 6 pairs"},
		{"cpu-threads-no-speedup", "3.13t", DoesNotHold, "1.90"},
		{"cpu-threads-no-speedup", "3.13t+gil", Holds, "holds if <= 1.15"},
		{"cpu-threads-no-speedup", "3.11", NA, "not measured"},
		{"multiprocessing-parallel", "3.12", Holds, "1.80"},
		{"release-gil-parallel", "3.13t+gil", Holds, "1.80"},
		{"io-threads-overlap", "3.13t", Holds, "2.00"},
		{"asyncio-overlap", "3.12", Holds, "7.6x"},
		{"refcount-4-5", "3.12", DoesNotHold, "4294967295 4294967295"},
		{"refcount-4-5", "3.11", Holds, "printed 4 5"},
		{"free-threaded-build", "3.12", NA, "GIL build"},
		{"free-threaded-build", "3.13t", Holds, "PYTHON_GIL=1"},
		{"nogil-single-thread-cost", "3.13t", Holds, "+70%"},
		{"nogil-single-thread-cost", "3.13t", Holds, "cross-version (3.13.15t vs 3.12.1)"},
		{"nogil-single-thread-cost", "3.12", NA, "has a GIL"},
		{"nogil-single-thread-cost", "3.13t+gil", NA, "runs with the GIL on"},
	}
	for _, tc := range cases {
		t.Run(tc.id+"/"+tc.interp, func(t *testing.T) {
			v, ok := find(t, r, tc.id).Verdicts[tc.interp]
			require.True(t, ok)
			assert.Equal(t, tc.want, v.Verdict, v.Evidence)
			assert.Contains(t, v.Evidence, tc.evidence)
		})
	}
}

// TestInconclusiveWhenTheIntervalStraddles: the same medians as a clear
// verdict, but a spread wide enough that the interval contains the
// threshold, give "inconclusive" with the interval printed.
func TestInconclusiveWhenTheIntervalStraddles(t *testing.T) {
	cases := []struct {
		name     string
		speedup  float64
		pct      float64
		want     string
		evidence string
	}{
		{"tight, clearly above 1.15", 1.9, 2, DoesNotHold, "95% CS 1.80–2.00"},
		{"tight, clearly below", 1.0, 2, Holds, "CS 0.95–1.05"},
		{"wide around 1.10", 1.10, 10, Inconclusive, "the interval still contains 1.15 after 6 pairs"},
		{"median above, interval reaches below", 1.2, 10, Inconclusive, "CS 0.92–1.56, 6 pairs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := []results.Result{
				cell(gil312, "countdown", "serial", 2, 1.0, tc.pct),
				cell(gil312, "countdown", "threads", 2, 1.0/tc.speedup, tc.pct),
			}
			results.AddSpeedups(rs)
			v := find(t, Evaluate(rs, Facts{}), "cpu-threads-no-speedup").Verdicts["3.12"]
			assert.Equal(t, tc.want, v.Verdict, v.Evidence)
			assert.Contains(t, v.Evidence, tc.evidence)
		})
	}
}

func TestTooFewRunsAreInconclusive(t *testing.T) {
	rs := []results.Result{
		results.NewResult(gil312, machine.Machine{}, results.Cell{Workload: "countdown", Mode: "serial", Workers: 2}, results.Params{},
			[]results.Sample{{WallS: 1}, {WallS: 1.01}}, results.DefaultBusyCores),
		results.NewResult(gil312, machine.Machine{}, results.Cell{Workload: "countdown", Mode: "threads", Workers: 2}, results.Params{},
			[]results.Sample{{WallS: 0.5}, {WallS: 0.51}}, results.DefaultBusyCores),
	}
	results.AddSpeedups(rs)
	v := find(t, Evaluate(rs, Facts{}), "cpu-threads-no-speedup").Verdicts["3.12"]
	assert.Equal(t, Inconclusive, v.Verdict)
	assert.Contains(t, v.Evidence, "no interval yet, 2 pairs")
	assert.Contains(t, v.Evidence, "too few pairs for an interval (2)")
}

// busyLoad is a run during which a neighbour kept a core busy.
func busyLoad(wall float64) *machine.Activity {
	return &machine.Activity{WallS: wall, OwnCPUS: wall, OtherCPUS: 0.98 * wall, ResolutionS: 0.017}
}

// TestBusyCellIsNeverJudged: a neighbour kept a core busy during a whole
// cell; its spread is small and its speedup clear (0.73), but its pairs are
// set aside, so it is not turned into a verdict.
func TestBusyCellIsNeverJudged(t *testing.T) {
	rs := fixture()
	for i := range rs {
		if rs[i].Interpreter.Name == "3.12" && rs[i].Mode == "processes" {
			rs[i] = cellWithLoad(gil312, "countdown", "processes", 2, 1.0/0.73, 1, busyLoad)
		}
	}
	results.AddSpeedups(rs)
	r := Evaluate(rs, facts())
	v := find(t, r, "multiprocessing-parallel").Verdicts["3.12"]
	assert.Equal(t, Inconclusive, v.Verdict)
	assert.Contains(t, v.Evidence, "not judged: all 6 pairs of runs were measured on a busy machine (other processes could have slowed them more than 0.25 of a core slows a CPU-bound run)")
	assert.Equal(t, "holds (inconclusive on 3.12)", find(t, r, "multiprocessing-parallel").Overall)
}

// TestBusyBaselineIsNeverJudged: a quiet parallel cell divided by a serial
// run slowed by a neighbour gives an inflated speedup; it is not judged.
func TestBusyBaselineIsNeverJudged(t *testing.T) {
	rs := fixture()
	for i := range rs {
		if rs[i].Interpreter.Name == "3.12" && rs[i].Cell == (results.Cell{Workload: "countdown", Mode: "serial", Workers: 2}) {
			rs[i] = cellWithLoad(gil312, "countdown", "serial", 2, 1.0, 1, busyLoad)
		}
	}
	results.AddSpeedups(rs)
	v := find(t, Evaluate(rs, facts()), "multiprocessing-parallel").Verdicts["3.12"]
	assert.Equal(t, Inconclusive, v.Verdict)
	assert.Contains(t, v.Evidence, "measured on a busy machine")
}

// A few disturbed pairs among quiet ones are set aside and the rest judged.
func TestDisturbedPairsAreSetAside(t *testing.T) {
	serial := cell(gil312, "countdown", "serial", 2, 1.0, 1)
	threads := cell(gil312, "countdown", "threads", 2, 1.0/0.98, 1)
	threads.RawLoad[1] = *busyLoad(threads.RawWallS[1])
	g := DefaultJudging.Judge(results.NewIndex([]results.Result{serial, threads}), speedupOf("cpu-threads-no-speedup", "3.12", cpuThreadsCell, noSpeedupRule))
	assert.Equal(t, Holds, g.Verdict, g.Why)
	assert.Equal(t, 5, g.Pairs)
	assert.Equal(t, 1, g.SetAside)
	assert.Contains(t, g.IntervalText(0.95), "5 pairs (1 more set aside: measured on a busy machine)")
}

// TestDisturbanceComparableToTheMargin is the case that passed as quiet
// before: 0.18 cores of steal and 0.05 of other processes (under the 0.25
// busy threshold) while a GIL build's two goroutines ran "1.21x faster"
// than one. The disturbance could move the ratio by more than its distance
// from 1.15, so it is inconclusive, saying why; the same runs on a quiet
// machine are decided.
func TestDisturbanceComparableToTheMargin(t *testing.T) {
	steal := func(wall float64) *machine.Activity {
		return &machine.Activity{WallS: wall, OwnCPUS: wall, OtherCPUS: 0.23 * wall, StealS: 0.18 * wall, ResolutionS: 0.017}
	}
	c := results.Cell{Workload: "countdown", Mode: "goroutines", Workers: 2}
	cmp := speedupOf("cpu-threads-no-speedup", "3.12", c, noSpeedupRule)
	disturbed := []results.Result{
		cellWithLoad(gil312, "countdown", "serial", 2, 1.21, 0.5, steal),
		cellWithLoad(gil312, "countdown", "goroutines", 2, 1.0, 0.5, steal),
	}
	g := DefaultJudging.Judge(results.NewIndex(disturbed), cmp)
	assert.Equal(t, Inconclusive, g.Verdict)
	assert.Zero(t, g.SetAside, "under the busy threshold: kept, but judged against its margin")
	assert.Contains(t, g.Why, "disturbed: other processes (steal included) used 0.23 cores during these runs, enough to move the ratio by up to 13%, as much as its 5.2% distance from 1.15")
	quietRs := []results.Result{
		cell(gil312, "countdown", "serial", 2, 1.21, 0.5),
		cell(gil312, "countdown", "goroutines", 2, 1.0, 0.5),
	}
	assert.Equal(t, DoesNotHold, DefaultJudging.Judge(results.NewIndex(quietRs), cmp).Verdict)
}

// A ratio that sits at its threshold — processes x2 at 1.49 against 1.50
// — is called undecidable on this machine, with what deciding it would
// take, once the budget is spent.
func TestUndecidableSaysSo(t *testing.T) {
	var serial, procs []results.Sample
	noise := []float64{0.03, -0.02, 0.01, -0.03, 0.02, 0, -0.01, 0.025, -0.015, 0.005}
	for i := range 20 {
		e := noise[i%len(noise)]
		serial = append(serial, results.Sample{WallS: 1.49 * (1 + e), Load: quiet(1.49), Round: i + 1})
		procs = append(procs, results.Sample{WallS: 1.0 * (1 - e/2), Load: quiet(1), Round: i + 1})
	}
	m := machine.Machine{Cores: 2}
	rs := []results.Result{
		results.NewResult(gil312, m, results.Cell{Workload: "countdown", Mode: "serial", Workers: 2}, results.Params{}, serial, 0.25),
		results.NewResult(gil312, m, processesCell, results.Params{}, procs, 0.25),
	}
	g := DefaultJudging.Judge(results.NewIndex(rs), speedupOf("multiprocessing-parallel", "3.12", processesCell, parallelRule))
	assert.Equal(t, Inconclusive, g.Verdict)
	assert.Contains(t, []string{results.StopHopeless, results.StopBudget}, g.Stop)
	assert.Contains(t, g.Why, "cannot be decided on this machine: after 20 pairs 1.49 lies 0.5% from its threshold 1.50")
	assert.Contains(t, g.Why, "deciding it would take")
}

func TestOverall(t *testing.T) {
	r := Evaluate(fixture(), facts())
	assert.Equal(t, "holds only on 3.12, 3.13t+gil", find(t, r, "cpu-threads-no-speedup").Overall)
	assert.Equal(t, Holds, find(t, r, "multiprocessing-parallel").Overall)
	assert.Equal(t, "holds only on 3.11", find(t, r, "refcount-4-5").Overall)
	cases := []struct {
		vs   map[string]Verdict
		want string
	}{
		{map[string]Verdict{"x": {Verdict: NA}}, NA},
		{map[string]Verdict{"x": {Verdict: DoesNotHold}, "y": {Verdict: NA}}, DoesNotHold},
		{map[string]Verdict{"x": {Verdict: Inconclusive}, "y": {Verdict: NA}}, Inconclusive},
		{map[string]Verdict{"x": {Verdict: Holds}, "y": {Verdict: DoesNotHold}, "z": {Verdict: Inconclusive}}, "holds only on x (inconclusive on z)"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, overall(tc.vs))
	}
}

func TestEveryDesignedClaimIsPresent(t *testing.T) {
	r := Evaluate(fixture(), facts())
	for _, id := range []string{"cpu-threads-no-speedup", "io-threads-overlap", "multiprocessing-parallel", "release-gil-parallel",
		"asyncio-overlap", "refcount-4-5", "free-threaded-build", "nogil-single-thread-cost"} {
		find(t, r, id)
	}
}

func TestSkippedCellIsNotAVerdict(t *testing.T) {
	rs := append(fixture(), results.Skip(gil312, machine.Machine{}, results.Cell{Workload: "countdown", Mode: "threads", Workers: 2}, results.Params{}, "no"))
	v := find(t, Evaluate(rs, Facts{}), "cpu-threads-no-speedup").Verdicts["3.12"]
	assert.Equal(t, NA, v.Verdict)
	assert.Contains(t, v.Evidence, "skipped: no")
}

// A cell that mostly sleeps is hardly slowed by a busy machine: its pairs
// are kept and judged, where a CPU-bound cell's would be set aside.
func TestSleepingCellsSurviveABusyMachine(t *testing.T) {
	busySleep := func(wall float64) *machine.Activity {
		return &machine.Activity{WallS: wall, OwnCPUS: 0.01 * wall, OtherCPUS: 1.9 * wall, ResolutionS: 0.017}
	}
	rs := []results.Result{
		cellWithLoad(gil312, "io-sleep", "serial", 2, 0.32, 1, busySleep),
		cellWithLoad(gil312, "io-sleep", "threads", 2, 0.16, 1, busySleep),
	}
	g := DefaultJudging.Judge(results.NewIndex(rs), speedupOf("io-threads-overlap", "3.12", ioThreadsCell, parallelRule))
	assert.Equal(t, Holds, g.Verdict, g.Why)
	assert.Zero(t, g.SetAside)
	assert.Less(t, g.Slack, 0.2, "0.01 of a core slowed by at most 1.9/0.1 of it")
}

// Needs declares one comparison per claim and interpreter whose cells are
// in the plan, and ClaimCells holds every cell they use.
func TestNeedsFollowThePlan(t *testing.T) {
	src := &results.Source{SHA256: "s"}
	gil313 := results.Interpreter{Name: "3.13", Version: "3.13.15", GILEnabled: true, Source: src}
	ft := ft313
	ft.Source = src
	interps := []results.Interpreter{gil312, gil313, ft, ft313g}
	needs := Needs(interps, ClaimCells(), results.Params{IOOps: 16}, DefaultJudging)
	var labels []string
	for _, n := range needs {
		labels = append(labels, n.Label)
		for _, u := range n.Uses {
			assert.Contains(t, ClaimCells(), u.Cell, n.Label)
		}
	}
	// 8 per interpreter (3 speedups, 3 libraries, asyncio, the I/O
	// probe), and the single-thread cost on 3.13t against 3.13.
	assert.Len(t, needs, 4*8+1)
	assert.Contains(t, labels, "nogil-single-thread-cost on 3.13t vs 3.13 (countdown serial x1 / countdown serial x1, holds if >= 1.05)")
	assert.Contains(t, labels, "asyncio-overlap on 3.12 (io-sleep serial x1 / asyncio serial x1, holds if >= 8.00)")
	only := Needs(interps, []results.Cell{{Workload: "countdown", Mode: "serial", Workers: 2}, cpuThreadsCell}, results.Params{}, DefaultJudging)
	assert.Len(t, only, 4, "only cpu-threads-no-speedup has both its cells in this plan")
}

func TestTally(t *testing.T) {
	r := Report{Claims: []Claim{
		{Verdicts: map[string]Verdict{"a": {Verdict: Holds}, "b": {Verdict: DoesNotHold}}},
		{Verdicts: map[string]Verdict{"a": {Verdict: Inconclusive}, "b": {Verdict: NA}, "c": {Verdict: Holds}}},
	}}
	assert.Equal(t, "5 verdicts: 3 decided (2 holds, 1 does not hold), 1 inconclusive, 1 n/a", r.Tally())
}
