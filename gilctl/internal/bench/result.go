package bench

import (
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/stats"
)

// Interpreter identifies who produced a result.
type Interpreter struct {
	Name           string  `json:"name"`
	Version        string  `json:"version"`
	FreeThreaded   bool    `json:"free_threaded"`
	GILEnabled     bool    `json:"gil_enabled"`
	SwitchInterval float64 `json:"switch_interval"`
}

// WorkerStat is one worker's median wall and CPU time over the runs.
type WorkerStat struct {
	WallS float64 `json:"wall_s"`
	CPUS  float64 `json:"cpu_s"`
}

// Result is one cell of the matrix: a workload spread one way over a number
// of workers, run Runs times.
type Result struct {
	Interpreter Interpreter     `json:"interpreter"`
	Machine     machine.Machine `json:"machine"`
	Workload    string          `json:"workload"`
	Mode        string          `json:"mode"`
	Workers     int             `json:"workers"`
	Params      Params          `json:"params"`
	// Skipped says why the cell could not run; the figures are then absent.
	Skipped string `json:"skipped,omitempty"`

	Runs int `json:"runs,omitempty"`
	// WallS is the wall time from the moment all workers were released to
	// the end of the slowest.
	WallS *stats.Summary `json:"wall_s,omitempty"`
	// CPUS is the CPU time of the process (or of the worker processes).
	CPUS *stats.Summary `json:"cpu_s,omitempty"`
	// CPUUtilization is median CPU / median wall: 1.0 is one core busy.
	CPUUtilization float64 `json:"cpu_utilization,omitempty"`
	// Speedup is serial wall / this wall on the same interpreter with the
	// same workers (the same total work); Efficiency is Speedup / workers.
	Speedup    *stats.Ratio `json:"speedup,omitempty"`
	Efficiency float64      `json:"efficiency,omitempty"`
	PerWorker  []WorkerStat `json:"per_worker,omitempty"`
	// RawWallS and RawCPUS are every counted run, in order.
	RawWallS []float64 `json:"raw_wall_s,omitempty"`
	RawCPUS  []float64 `json:"raw_cpu_s,omitempty"`
}

// Sample is one timed run of one cell.
type Sample struct {
	WallS     float64      `json:"wall_s"`
	CPUS      float64      `json:"cpu_s"`
	PerWorker []WorkerStat `json:"per_worker"`
}

// Report is what `gilctl bench --json` prints.
type Report struct {
	Results []Result `json:"results"`
}

// AddSpeedups fills Speedup and Efficiency from the serial cell of the same
// interpreter, workload and workers.
func AddSpeedups(results []Result) {
	type key struct {
		interp, workload string
		workers          int
	}
	serial := map[key]*stats.Summary{}
	for _, r := range results {
		if r.Mode == "serial" && r.WallS != nil {
			serial[key{r.Interpreter.Name, r.Workload, r.Workers}] = r.WallS
		}
	}
	for i := range results {
		r := &results[i]
		base := serial[key{r.Interpreter.Name, r.Workload, r.Workers}]
		if r.WallS == nil || base == nil {
			continue
		}
		s := stats.RatioOf(*base, *r.WallS)
		r.Speedup = &s
		r.Efficiency = s.Value / float64(r.Workers)
	}
}

// Summarize fills the figures of res from its counted runs.
func Summarize(res *Result, samples []Sample) {
	res.Runs = len(samples)
	for _, s := range samples {
		res.RawWallS = append(res.RawWallS, s.WallS)
		res.RawCPUS = append(res.RawCPUS, s.CPUS)
	}
	wall, cpu := stats.Summarize(res.RawWallS), stats.Summarize(res.RawCPUS)
	res.WallS, res.CPUS = &wall, &cpu
	if wall.Median > 0 {
		res.CPUUtilization = cpu.Median / wall.Median
	}
	nw := len(samples[0].PerWorker)
	for i := range nw {
		var walls, cpus []float64
		for _, s := range samples {
			if i < len(s.PerWorker) {
				walls = append(walls, s.PerWorker[i].WallS)
				cpus = append(cpus, s.PerWorker[i].CPUS)
			}
		}
		res.PerWorker = append(res.PerWorker, WorkerStat{WallS: stats.Summarize(walls).Median, CPUS: stats.Summarize(cpus).Median})
	}
}
