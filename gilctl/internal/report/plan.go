package report

import (
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// ChartCells are the cells the report's charts draw beyond what the
// claims need (check.ClaimCells), in run order:
//
//   - countdown in every mode with 1, 2 and 4 workers: the article's
//     experiment, the scaling chart every build is read by;
//   - every other workload in serial, threads and goroutines with 1 and 2
//     workers (gopy: serial and threads, the modes it has): the modes whose
//     speedup the GIL decides; processes and subinterpreters have a GIL
//     each and are measured on the countdown;
//   - the probes: latency and I/O beside 0, 1, 2 and 4 CPU-bound threads,
//     and the latency at 0.5 and 50 ms switch intervals.
func ChartCells() []results.Cell {
	var out []results.Cell
	for _, w := range matrix.Workloads {
		modes, workers := []string{"serial", "threads", "goroutines"}, []int{1, 2}
		switch w {
		case "countdown":
			modes, workers = matrix.Modes, []int{1, 2, 4}
		case "gopy":
			modes = []string{"serial", "threads"}
		case "asyncio":
			continue // one thread by design: the claim's cell is its chart
		}
		for _, n := range workers {
			for _, m := range modes {
				out = append(out, results.Cell{Workload: w, Mode: m, Workers: n})
			}
		}
	}
	probes := matrix.Spec{Workloads: matrix.Probes, CPUThreads: []int{0, 1, 2, 4},
		Sweep: []float64{0.0005, results.DefaultSwitchIntervalS, 0.05}, SweepCPUThreads: 1}
	return append(out, probes.Cells()...)
}
