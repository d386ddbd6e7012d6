package report

import (
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// ChartCells are the cells the report's charts draw beyond what the
// claims need (check.ClaimCells), in run order:
//
//   - countdown in every mode with 1, 2 and 4 workers: the article's
//     experiment, the scaling chart every build is read by;
//   - every other workload with 1 and 2 workers in each mode it runs in
//     whose workers share one GIL (results.Mode.SharesGIL): the modes
//     whose speedup the GIL decides; processes and subinterpreters have a
//     GIL each and are measured on the countdown;
//   - the probes beside the default spec's CPU-bound threads (latency and
//     I/O beside 0, 1, 2 and 4), and the latency probe's sweep of switch
//     intervals.
func ChartCells() []results.Cell {
	var sharing []results.Mode
	for _, m := range results.Modes() {
		if m.SharesGIL() {
			sharing = append(sharing, m)
		}
	}
	var out []results.Cell
	for _, w := range results.TimedWorkloads() {
		modes, workers := sharing, []int{1, 2}
		switch w.Name {
		case results.Countdown:
			modes, workers = results.Modes(), []int{1, 2, 4}
		case results.Asyncio:
			continue // one thread by design: the claim's cell is its chart
		}
		for _, n := range workers {
			for _, m := range modes {
				if w.RunsIn(m) {
					out = append(out, results.Cell{Workload: w.Name, Mode: m, Workers: n})
				}
			}
		}
	}
	def := matrix.DefaultSpec()
	probes := matrix.Spec{Workloads: results.NamesOf(results.ProbeWorkloads()), CPUThreads: def.CPUThreads,
		Sweep: def.Sweep, SweepCPUThreads: def.SweepCPUThreads}
	return append(out, probes.Cells()...)
}

// Plan is what a full run measures by default (compare, make bench): the
// cells the charts draw and those the claims judge, each once, in the
// order reports list cells.
func Plan() []results.Cell { return results.Plan(ChartCells(), check.ClaimCells()) }
