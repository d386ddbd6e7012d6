package results

import "github.com/gilkit/gilkit/gilctl/internal/machine"

// Params are the sizes of the built-in workloads (pyexamples/gilbench.py),
// recorded with every result so that figures are never read without them.
type Params struct {
	Count     int     `json:"count"`   // countdown iterations in total
	IOOps     int     `json:"io_ops"`  // I/O operations in total
	SleepS    float64 `json:"sleep_s"` // one sleep / the echo server's delay
	MiB       int     `json:"mib"`     // MiB hashed or compressed in total
	NumpyN    int     `json:"numpy_n"`
	NumpyReps int     `json:"numpy_reps"`
	Weak      bool    `json:"weak"` // every worker does the full amount
}

// WorkerStat is one worker's wall and CPU time (one run, or the medians).
type WorkerStat struct {
	WallS float64 `json:"wall_s"`
	CPUS  float64 `json:"cpu_s"`
}

// Sample is one timed run of one cell.
type Sample struct {
	// WallS is the wall time from the moment all workers were released to
	// the end of the slowest.
	WallS float64 `json:"wall_s"`
	// CPUS is the CPU time of the process (and of its worker processes).
	CPUS      float64      `json:"cpu_s"`
	PerWorker []WorkerStat `json:"per_worker"`
	// Load is what the rest of the machine did during the run; nil when it
	// could not be measured.
	Load *machine.Activity `json:"load,omitempty"`
}

// Result is one interpreter's summary of one cell: Runs counted runs, or
// the reason it could not run.
type Result struct {
	Interpreter Interpreter     `json:"interpreter"`
	Machine     machine.Machine `json:"machine"`
	Cell
	Params Params `json:"params"`
	// Skipped says why the cell could not run; the figures are then absent.
	Skipped string `json:"skipped,omitempty"`

	Runs  int      `json:"runs,omitempty"`
	WallS *Summary `json:"wall_s,omitempty"`
	CPUS  *Summary `json:"cpu_s,omitempty"`
	// CPUUtilization is median CPU / median wall: 1.0 is one core busy.
	CPUUtilization float64 `json:"cpu_utilization,omitempty"`
	// Speedup is serial wall / this wall (medians) on the same interpreter
	// with the same workers, i.e. the same total work; Efficiency is
	// Speedup / workers.
	Speedup    *Ratio  `json:"speedup,omitempty"`
	Efficiency float64 `json:"efficiency,omitempty"`
	// BaselineBusy is set when the serial run the speedup divides by was
	// measured on a busy machine: the speedup is then untrustworthy too.
	BaselineBusy bool         `json:"baseline_busy,omitempty"`
	PerWorker    []WorkerStat `json:"per_worker,omitempty"`
	// OtherLoad is what other processes did during the counted runs; a
	// busy cell is reported but never judged.
	OtherLoad *Load `json:"other_load,omitempty"`
	// RawWallS and RawCPUS are every counted run, in order.
	RawWallS []float64 `json:"raw_wall_s,omitempty"`
	RawCPUS  []float64 `json:"raw_cpu_s,omitempty"`
}

// Key is the result's key in an Index.
func (r Result) Key() Key { return Key{r.Interpreter.Name, r.Cell} }

// Measured reports whether the result has figures (it ran).
func (r Result) Measured() bool { return r.Skipped == "" && r.WallS != nil }

// Busy reports whether other processes disturbed the measurement.
func (r Result) Busy() bool { return r.OtherLoad != nil && r.OtherLoad.Busy }

// SpeedupBusy reports whether the speedup rests on a busy measurement:
// this cell's or its serial baseline's.
func (r Result) SpeedupBusy() bool { return r.Busy() || r.BaselineBusy }

// NewResult summarizes the counted runs of a cell.
func NewResult(interp Interpreter, m machine.Machine, c Cell, p Params, samples []Sample, busyCores float64) Result {
	res := Result{Interpreter: interp, Machine: m, Cell: c, Params: p, Runs: len(samples)}
	if len(samples) == 0 {
		res.Skipped = "no counted runs"
		return res
	}
	for _, s := range samples {
		res.RawWallS = append(res.RawWallS, s.WallS)
		res.RawCPUS = append(res.RawCPUS, s.CPUS)
	}
	wall, cpu := Summarize(res.RawWallS), Summarize(res.RawCPUS)
	res.WallS, res.CPUS = &wall, &cpu
	if wall.Median > 0 {
		res.CPUUtilization = cpu.Median / wall.Median
	}
	for i := range len(samples[0].PerWorker) {
		var walls, cpus []float64
		for _, s := range samples {
			if i < len(s.PerWorker) {
				walls = append(walls, s.PerWorker[i].WallS)
				cpus = append(cpus, s.PerWorker[i].CPUS)
			}
		}
		res.PerWorker = append(res.PerWorker, WorkerStat{WallS: Summarize(walls).Median, CPUS: Summarize(cpus).Median})
	}
	res.OtherLoad = SummarizeLoad(samples, busyCores)
	return res
}

// Skip returns the result of a cell that could not run, saying why.
func Skip(interp Interpreter, m machine.Machine, c Cell, p Params, reason string) Result {
	return Result{Interpreter: interp, Machine: m, Cell: c, Params: p, Skipped: reason}
}

// AddSpeedups fills Speedup and Efficiency from the serial result of the
// same interpreter, workload and workers.
func AddSpeedups(rs []Result) {
	ix := NewIndex(rs)
	for i := range rs {
		r := &rs[i]
		base, ok := ix.Get(r.Interpreter.Name, Cell{r.Workload, "serial", r.Workers})
		if !r.Measured() || !ok || !base.Measured() {
			continue
		}
		s := RatioOf(*base.WallS, *r.WallS)
		r.Speedup = &s
		r.Efficiency = s.Value / float64(r.Workers)
		r.BaselineBusy = base.Busy()
	}
}

// Names lists the interpreters of rs in order of first appearance.
func Names(rs []Result) []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.Interpreter.Name] {
			seen[r.Interpreter.Name] = true
			names = append(names, r.Interpreter.Name)
		}
	}
	return names
}

// Interpreters returns each interpreter of rs once, in order of first
// appearance, with the machine it ran on.
func Interpreters(rs []Result) ([]Interpreter, []machine.Machine) {
	var is []Interpreter
	var ms []machine.Machine
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.Interpreter.Name] {
			seen[r.Interpreter.Name] = true
			is = append(is, r.Interpreter)
			ms = append(ms, r.Machine)
		}
	}
	return is, ms
}
