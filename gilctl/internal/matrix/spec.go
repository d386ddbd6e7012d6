// Package matrix drives a matrix of cells (workload × workers × mode) over
// any number of runners — an embedded interpreter in this process, a
// gilctl worker process, anything that can say why a cell cannot run and
// run it once — interleaving them run by run and flagging cells measured
// on a busy machine. Cells that a Need (a claim's statistic) uses run
// together, round by round, for as long as the need asks and their budget
// lasts: the driver measures until the answer is known. It does not import
// embed.
package matrix

import (
	"slices"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Spec is what to run: the cells, how often, and the workload sizes.
type Spec struct {
	Workloads []string
	Modes     []results.Mode
	Workers   []int
	// Plan, when set, is the list of cells to run, in this order, instead
	// of every workload × workers × mode (and the probes' cells).
	Plan []results.Cell
	// Runs is the number of counted runs every cell gets. A cell that a
	// Need uses gets more, up to MaxRuns and MaxCellS, until every need
	// using it has stopped (see Drive); MaxRuns <= Runs fixes the count.
	Runs    int
	MaxRuns int
	// MaxCellS is the most seconds the counted runs of one cell may take
	// on one interpreter before it stops for its budget (0: no limit).
	MaxCellS float64
	// Warmup is the number of uncounted runs per cell before them. Probe
	// cells have none: each run starts its own CPU-bound threads and
	// probes a steady state, so there is nothing to warm up.
	Warmup int
	Params results.Params

	// CPUThreads are the numbers of CPU-bound threads the probes
	// (results.ProbeLatency, results.ProbeIO, when Workloads names them)
	// run beside, at CPython's default switch interval.
	CPUThreads []int
	// Sweep are the switch intervals (seconds) the latency probes also
	// run at, with SweepCPUThreads CPU-bound threads.
	Sweep           []float64
	SweepCPUThreads int
}

// The budget of counted runs per cell. Every cell gets DefaultRuns; one
// whose ratio a claim judges runs on, one pair at a time, until the claim's
// rule decides it or finds it undecidable, for at most DefaultMaxRuns runs
// or DefaultMaxCellS seconds per interpreter. A median's distribution-free
// 95% interval needs 6 runs: cells no claim judges show none.
const (
	DefaultRuns     = 3
	DefaultMaxRuns  = 20
	DefaultMaxCellS = 60.0
	// QuickMaxRuns and QuickMaxCellS are the budget of --quick.
	QuickMaxRuns  = 12
	QuickMaxCellS = 15.0
)

// DefaultSpec is the article's setup: the countdown split over 1, 2 and 4
// workers, at least 3 counted runs after one warm-up.
func DefaultSpec() Spec {
	return Spec{
		Workloads: results.NamesOf(results.TimedWorkloads()),
		Modes:     results.Modes(),
		Workers:   []int{1, 2, 4},
		Runs:      DefaultRuns,
		MaxRuns:   DefaultMaxRuns,
		MaxCellS:  DefaultMaxCellS,
		Warmup:    1,
		Params:    DefaultParams(),

		CPUThreads:      []int{0, 1, 2, 4},
		Sweep:           []float64{0.0005, results.DefaultSwitchIntervalS, 0.05},
		SweepCPUThreads: 1,
	}
}

// DefaultCount is the countdown's total: about a second a run on one core
// of a 2-core machine. The article counts down from 50,000,000, 2.3 s a
// run there: with 15 countdown cells on four interpreters, that alone made
// make bench take longer than its whole budget; pass --count 50000000 for
// the article's size.
const DefaultCount = 20_000_000

// DefaultParams are the full workload sizes.
func DefaultParams() results.Params {
	return results.Params{Count: DefaultCount, IOOps: 16, SleepS: 0.02, MiB: 256, NumpyN: 256, NumpyReps: 32,
		ProbeDurationS: 0.5, ProbeMinSamples: 20, ProbePeriodS: 0.002, ProbeIODelayS: 0.0001}
}

// QuickParams shrinks the work so that a whole matrix finishes in minutes
// on 2 cores (make bench QUICK=1).
func QuickParams(p results.Params) results.Params {
	p.Count = 5_000_000
	p.IOOps = 8
	p.MiB = 64
	p.NumpyReps = 8
	p.ProbeDurationS = 0.05
	p.ProbeMinSamples = 5
	return p
}

// Cells lists the cells in run order: per workload, per worker count, per
// mode (so that a mode's serial baseline runs right before it). A probe
// runs once per number of CPU-bound threads (the idle one first), the
// latency probe also once per switch interval of the sweep.
func (s Spec) Cells() []results.Cell {
	if s.Plan != nil {
		return slices.Clone(s.Plan)
	}
	var cells []results.Cell
	for _, w := range s.Workloads {
		if p, ok := results.LookupWorkload(w); ok && p.IsProbe() {
			cells = append(cells, s.probeCells(p)...)
			continue
		}
		for _, n := range s.Workers {
			for _, m := range s.Modes {
				cells = append(cells, results.Cell{Workload: w, Mode: m, Workers: n})
			}
		}
	}
	return cells
}

// probeCells are probe p's cells: each of its probers beside each number
// of CPU-bound threads at the default switch interval, then, for a probe
// that sweeps, at each interval of the sweep.
func (s Spec) probeCells(p results.Workload) []results.Cell {
	var cells []results.Cell
	add := func(n int, interval float64) {
		for _, who := range p.Probers {
			c := results.Cell{Workload: p.Name, Prober: who, CPUThreads: n, SwitchIntervalS: interval}
			if !slices.Contains(cells, c) {
				cells = append(cells, c)
			}
		}
	}
	for _, n := range s.CPUThreads {
		add(n, results.DefaultSwitchIntervalS)
	}
	if p.Sweeps {
		for _, interval := range s.Sweep {
			add(s.SweepCPUThreads, interval)
		}
	}
	return cells
}

// warmup is the number of uncounted runs of cell c.
func (s Spec) warmup(c results.Cell) int {
	if c.IsProbe() {
		return 0
	}
	return s.Warmup
}

// adaptive reports whether cells that needs use may run more than Runs.
func (s Spec) adaptive() bool { return s.MaxRuns > s.Runs }
