package matrix

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/sequential"
)

// formulaRunner is a runner whose cells take a time given by a formula
// with a repeatable spread, so that the driver's decisions can be tested
// exactly. (The drive tests above use real processes; this one is about
// when the driver stops, which needs known effects.)
type formulaRunner struct {
	name    string
	speedup float64 // threads x2 against serial x2
	noise   float64 // relative spread of one run
	runs    map[results.Cell]int
	calls   *[]string
	sleep   bool // take the time the formula says
}

func (r *formulaRunner) Identity() (results.Interpreter, machine.Machine) {
	return results.Interpreter{Name: r.name}, machine.Machine{Cores: 2}
}

func (r *formulaRunner) Unavailable(results.Cell) (string, error) { return "", nil }

func (r *formulaRunner) RunOnce(c results.Cell) (results.Sample, error) {
	k := r.runs[c]
	r.runs[c]++
	*r.calls = append(*r.calls, r.name+" "+c.String())
	wall := 0.01
	if c.Mode == "threads" {
		wall /= r.speedup
	}
	// A spread that looks random but is the same every time.
	wall *= 1 + r.noise*math.Sin(float64(7*k+len(c.Mode)))
	if r.sleep {
		time.Sleep(time.Duration(wall * float64(time.Second)))
	}
	return results.Sample{WallS: wall, CPUS: wall, Load: &machine.Activity{WallS: wall}}, nil
}

func newFormula(name string, speedup, noise float64, calls *[]string) *formulaRunner {
	return &formulaRunner{name: name, speedup: speedup, noise: noise, runs: map[results.Cell]int{}, calls: calls}
}

// ratioNeed judges serial / threads x2 on one runner against limit with
// the sequential rule, as check does.
func ratioNeed(t *testing.T, name string, limit float64, max int) Need {
	s, err := sequential.NewStopper(sequential.DefaultRule, 3, max)
	require.NoError(t, err)
	serial := results.Key{Interpreter: name, Cell: results.Cell{Workload: "count", Mode: "serial", Workers: 2}}
	threads := results.Key{Interpreter: name, Cell: results.Cell{Workload: "count", Mode: "threads", Workers: 2}}
	return Need{Label: name + " speedup", Uses: []results.Key{serial, threads}, Judge: func(ix results.Index) Judgement {
		num, _ := ix.Get(name, serial.Cell)
		den, _ := ix.Get(name, threads.Cell)
		if !num.Measured() || !den.Measured() {
			return Judgement{Stop: results.StopNA}
		}
		q := s.Start(math.Log(limit))
		for _, p := range results.Pairs(num, den, results.WallTime) {
			q.Add(math.Log(p.Num/p.Den), 0, 0)
		}
		st := q.State()
		j := Judgement{Detail: fmt.Sprintf("%s speedup: %.2fx, %s", name, math.Exp(st.Mean), st.Decision), Needed: q.Needed()}
		switch st.Stop {
		case sequential.Decided:
			j.Stop = results.StopDecided
		case sequential.Futile:
			j.Stop = results.StopHopeless
		case sequential.Budget:
			j.Stop = results.StopBudget
		}
		return j
	}}
}

type tickRecorder struct {
	recorder
	ticks []Tick
}

func (p *tickRecorder) Running(t Tick) { p.ticks = append(p.ticks, t) }

func adaptiveSpec() Spec {
	return Spec{Workloads: []string{"count"}, Modes: []results.Mode{"serial", "threads"}, Workers: []int{1, 2}, Runs: 3, MaxRuns: 12, Warmup: 1}
}

// A clear speedup stops at the minimum of 3 counted runs; one at its
// threshold runs on, and the cell no need uses gets the minimum. The two
// cells of a need run in the same rounds, so their runs pair.
func TestAdaptiveRunsStopWhenDecided(t *testing.T) {
	var calls []string
	clear := newFormula("clear", 2.0, 0.01, &calls)
	near := newFormula("near", 1.5, 0.03, &calls)
	var progress tickRecorder
	opt := Options{Needs: []Need{ratioNeed(t, "clear", 1.15, 12), ratioNeed(t, "near", 1.5, 12)}, Rule: "test rule", Progress: &progress}
	rs, err := Drive([]Runner{clear, near}, adaptiveSpec(), opt)
	require.NoError(t, err)
	ix := results.NewIndex(rs)
	get := func(name string, mode results.Mode, workers int) results.Result {
		r, ok := ix.Get(name, results.Cell{Workload: "count", Mode: mode, Workers: workers})
		require.True(t, ok)
		return r
	}
	for _, mode := range []results.Mode{"serial", "threads"} {
		r := get("clear", mode, 2)
		assert.Equal(t, 3, r.Runs, "decided at the minimum")
		require.NotNil(t, r.Stop)
		assert.Equal(t, results.StopDecided, r.Stop.Reason)
		assert.Contains(t, r.Stop.Detail, "clear speedup: 2.00x, above")
		assert.Contains(t, r.Stop.Rule, "test rule; 3 to 12 counted runs per cell and interpreter")
		n := get("near", mode, 2)
		assert.Greater(t, n.Runs, 3, "at its threshold: more runs")
		assert.Contains(t, []string{results.StopHopeless, results.StopBudget}, n.Stop.Reason)
		x1 := get("near", mode, 1)
		assert.Equal(t, 3, x1.Runs)
		assert.Equal(t, results.StopMinimum, x1.Stop.Reason)
	}
	assert.Equal(t, get("near", "serial", 2).RawRounds, get("near", "threads", 2).RawRounds, "the pairs share rounds")
	assert.Len(t, results.Pairs(get("near", "serial", 2), get("near", "threads", 2), results.WallTime), get("near", "serial", 2).Runs)
	assert.Contains(t, strings.Join(progress.lines, "\n"), "decided after 3 runs: clear speedup: 2.00x, above")
	// The plan follows the needs: it grows while the ratio at its
	// threshold asks for more pairs, and never trails the runs done.
	first, last := progress.ticks[0], progress.ticks[len(progress.ticks)-1]
	assert.Greater(t, last.Planned, first.Planned)
	for _, tk := range progress.ticks {
		assert.Greater(t, tk.Planned, tk.Done)
	}
	assert.Equal(t, len(calls)-1, last.Done)
	assert.Equal(t, 12, last.Max, "a cell a need uses may take up to --max-runs")
}

// When every need is decided at the minimum, the plan is exact, and the
// time left is estimated from the runs' own times.
func TestPlanIsExactWhenDecided(t *testing.T) {
	var calls []string
	a := newFormula("a", 2.0, 0.01, &calls)
	a.sleep = true
	var progress tickRecorder
	_, err := Drive([]Runner{a}, adaptiveSpec(), Options{Needs: []Need{ratioNeed(t, "a", 1.15, 12)}, Progress: &progress})
	require.NoError(t, err)
	assert.Len(t, calls, 4*(1+3))
	last := progress.ticks[len(progress.ticks)-2:] // the last round: the need's estimate is known
	for _, tk := range last {
		assert.Equal(t, len(calls), tk.Planned)
		left := float64(len(calls)-tk.Done) * 0.0075 // serial 10 ms, threads 5 ms
		assert.InDelta(t, left, tk.Left.Seconds(), left*0.5+0.003)
	}
}

// The seconds budget stops a cell before its runs budget.
func TestAdaptiveTimeBudget(t *testing.T) {
	var calls []string
	near := newFormula("near", 1.5, 0.03, &calls)
	spec := adaptiveSpec()
	spec.MaxCellS = 0.045 // 0.01 s a serial run: four or five runs
	rs, err := Drive([]Runner{near}, spec, Options{Needs: []Need{ratioNeed(t, "near", 1.5, 12)}})
	require.NoError(t, err)
	r, ok := results.NewIndex(rs).Get("near", results.Cell{Workload: "count", Mode: "serial", Workers: 2})
	require.True(t, ok)
	assert.LessOrEqual(t, r.Runs, 5)
	assert.Equal(t, results.StopBudget, r.Stop.Reason)
}

// With MaxRuns no larger than Runs the counts are fixed, needs or not.
func TestFixedRuns(t *testing.T) {
	var calls []string
	near := newFormula("near", 1.5, 0.03, &calls)
	spec := adaptiveSpec()
	spec.MaxRuns = spec.Runs
	rs, err := Drive([]Runner{near}, spec, Options{Needs: []Need{ratioNeed(t, "near", 1.5, 12)}})
	require.NoError(t, err)
	for _, r := range rs {
		assert.Equal(t, 3, r.Runs, r.Cell.String())
		assert.Equal(t, results.StopFixed, r.Stop.Reason)
	}
	assert.Len(t, calls, 4*(1+3))
}

// Cells of a group take turns going first, like the runners.
func TestGroupsRotateTheirCells(t *testing.T) {
	var calls []string
	a := newFormula("a", 2.0, 0.01, &calls)
	spec := Spec{Workloads: []string{"count"}, Modes: []results.Mode{"serial", "threads"}, Workers: []int{2}, Runs: 2, MaxRuns: 12, Warmup: 1}
	_, err := Drive([]Runner{a}, spec, Options{Needs: []Need{ratioNeed(t, "a", 1.15, 12)}})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(calls), 6)
	assert.Equal(t, []string{"a count serial x2", "a count threads x2", "a count threads x2", "a count serial x2", "a count serial x2", "a count threads x2"}, calls[:6])
}

func TestPlanCellsReplaceTheProduct(t *testing.T) {
	plan := []results.Cell{{Workload: "count", Mode: "threads", Workers: 2}, {Workload: "count", Mode: "serial", Workers: 2}}
	s := Spec{Workloads: []string{"other"}, Modes: []results.Mode{"serial"}, Workers: []int{1}, Plan: plan}
	assert.Equal(t, plan, s.Cells())
}
