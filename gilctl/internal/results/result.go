package results

import (
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

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

	// ProbeDurationS is how long one run of a probe cell probes (at least
	// ProbeMinSamples latencies are taken however long that takes).
	ProbeDurationS  float64 `json:"probe_duration_s,omitempty"`
	ProbeMinSamples int     `json:"probe_min_samples,omitempty"`
	// ProbePeriodS is the mean pause between two latency samples (each
	// pause is drawn between half and one and a half of it, so that the
	// probe does not fall into step with the switch interval).
	ProbePeriodS float64 `json:"probe_period_s,omitempty"`
	// ProbeIODelayS is how long the I/O probe's echo server takes to
	// answer each message.
	ProbeIODelayS float64 `json:"probe_io_delay_s,omitempty"`
	// Scripts are the users' workloads (--script): workload name (the
	// file's base name) -> absolute path.
	Scripts map[string]string `json:"scripts,omitempty"`
}

// WorkerStat is one worker's wall and CPU time (one run, or the medians).
type WorkerStat struct {
	// WallS is the time the worker's share took once it ran Python.
	WallS float64 `json:"wall_s"`
	// CPUS is the CPU time of the worker's thread meanwhile
	// (time.thread_time()).
	CPUS float64 `json:"cpu_s"`
	// AttachWaitS is, for a goroutine, the time from asking to attach
	// (embed's Do) to being attached, measured in Go before the share
	// starts.
	AttachWaitS float64 `json:"attach_wait_s,omitempty"`
	// WaitShare is the share of the worker's time spent off a CPU:
	// 1 - CPU / (attach wait + wall). For CPU-bound work that is time
	// spent waiting for the GIL (or, on a busy machine, for a core).
	// Filled in summaries (the median over runs).
	WaitShare float64 `json:"wait_share"`
}

// Waiting is 1 - CPU / (attach wait + wall), within [0, 1].
func (w WorkerStat) Waiting() float64 {
	total := w.WallS + w.AttachWaitS
	if total <= 0 {
		return 0
	}
	return min(max(1-w.CPUS/total, 0), 1)
}

// Sample is one timed run of one cell.
type Sample struct {
	// WallS is the wall time from the moment all workers were released to
	// the end of the slowest.
	WallS float64 `json:"wall_s"`
	// CPUS is the CPU time of the process (and of its worker processes).
	CPUS      float64      `json:"cpu_s"`
	PerWorker []WorkerStat `json:"per_worker"`
	// LatenciesS are a latency probe's samples (seconds).
	LatenciesS []float64 `json:"latencies_s,omitempty"`
	// RoundTrips is how many round trips the I/O probe made in WallS.
	RoundTrips int `json:"roundtrips,omitempty"`
	// Load is what the rest of the machine did during the run; nil when it
	// could not be measured.
	Load *machine.Activity `json:"load,omitempty"`
	// Round is the driver's round the run belonged to, counted from 1 (0:
	// unknown): runs of the same round of different cells or interpreters
	// ran one right after the other, so a ratio pairs them.
	Round int `json:"round,omitempty"`
}

// Result is one interpreter's summary of one cell: Runs counted runs, or
// the reason it could not run.
type Result struct {
	Interpreter Interpreter     `json:"interpreter"`
	Machine     machine.Machine `json:"machine"`
	// Gilkit is the gilkit that measured the cell (the gilctl binary that
	// ran it); nil in files saved before results recorded it.
	Gilkit *version.Info `json:"gilkit,omitempty"`
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
	// BaselineBusy is set when the run a ratio divides by (the serial run
	// of a speedup, the idle run of OfIdle) was measured on a busy
	// machine: the ratio is then untrustworthy too.
	BaselineBusy bool `json:"baseline_busy,omitempty"`
	// PerWorker is each worker's median wall, CPU, attach wait and share
	// of time waiting.
	PerWorker []WorkerStat `json:"per_worker,omitempty"`
	// Latency is a latency probe's distribution over all counted runs.
	Latency *Latency `json:"latency,omitempty"`
	// RoundTripsPerS is the I/O probe's rate, one value per run; OfIdle
	// is its median as a share of the same probe with no CPU-bound thread.
	RoundTripsPerS *Summary `json:"roundtrips_per_s,omitempty"`
	OfIdle         *Ratio   `json:"of_idle,omitempty"`
	// OtherLoad is what other processes did during the counted runs; a
	// busy cell is reported but never judged.
	OtherLoad *Load `json:"other_load,omitempty"`
	// RawWallS and RawCPUS are every counted run, in order.
	RawWallS []float64 `json:"raw_wall_s,omitempty"`
	RawCPUS  []float64 `json:"raw_cpu_s,omitempty"`
	// RawLatenciesS are a latency probe's samples, run after run;
	// RawLatencyRuns says how many each run took.
	RawLatenciesS  []float64 `json:"raw_latencies_s,omitempty"`
	RawLatencyRuns []int     `json:"raw_latency_runs,omitempty"`
	// RawRoundTripsPerS is the I/O probe's rate in each counted run.
	RawRoundTripsPerS []float64 `json:"raw_roundtrips_per_s,omitempty"`
	// RawRounds is the round of each counted run (Sample.Round), by which
	// ratios pair runs of two cells; absent when unknown.
	RawRounds []int `json:"raw_rounds,omitempty"`
	// RawLoad is what the rest of the machine did during each counted run
	// (a zero WallS where it was not measured).
	RawLoad []machine.Activity `json:"raw_load,omitempty"`
	// Stop says why the cell was not run more often.
	Stop *Stop `json:"stop,omitempty"`
}

// Stop says why a cell's counted runs ended where they did: the driver runs
// a cell that a claim judges until the claim's statistic is decided or the
// cell's budget is spent (see package matrix).
type Stop struct {
	// Reason is one of the Stop* constants.
	Reason string `json:"reason"`
	// Detail says more: which statistics the cell served and where each
	// ended.
	Detail string `json:"detail,omitempty"`
	// Rule names the sequential rule and the budget the runs were taken
	// under.
	Rule string `json:"rule,omitempty"`
}

// Reasons a cell stopped.
const (
	StopFixed    = "fixed"       // the number of runs was fixed (--runs)
	StopMinimum  = "minimum"     // no claim judges it: the minimum number of runs
	StopDecided  = "decided"     // every statistic it serves was decided
	StopBudget   = "budget"      // its runs or seconds were spent before that
	StopHopeless = "undecidable" // a statistic it serves sits too near its threshold for the budget to decide it
	StopNA       = "n/a"         // a statistic it serves cannot be judged (its other cell did not run)
	StopDrift    = "drift"       // a statistic it serves moved while measured: its intervals do not overlap
)

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
	rounds, loads := false, false
	for _, s := range samples {
		res.RawWallS = append(res.RawWallS, s.WallS)
		res.RawCPUS = append(res.RawCPUS, s.CPUS)
		res.RawRounds = append(res.RawRounds, s.Round)
		rounds = rounds || s.Round > 0
		var a machine.Activity
		if s.Load != nil {
			a, loads = *s.Load, true
		}
		res.RawLoad = append(res.RawLoad, a)
	}
	if !rounds {
		res.RawRounds = nil
	}
	if !loads {
		res.RawLoad = nil
	}
	wall, cpu := Summarize(res.RawWallS), Summarize(res.RawCPUS)
	res.WallS, res.CPUS = &wall, &cpu
	if wall.Median > 0 {
		res.CPUUtilization = cpu.Median / wall.Median
	}
	for i := range len(samples[0].PerWorker) {
		var walls, cpus, attach, waiting []float64
		for _, s := range samples {
			if i < len(s.PerWorker) {
				w := s.PerWorker[i]
				walls = append(walls, w.WallS)
				cpus = append(cpus, w.CPUS)
				attach = append(attach, w.AttachWaitS)
				waiting = append(waiting, w.Waiting())
			}
		}
		res.PerWorker = append(res.PerWorker, WorkerStat{WallS: Summarize(walls).Median, CPUS: Summarize(cpus).Median,
			AttachWaitS: Summarize(attach).Median, WaitShare: Summarize(waiting).Median})
	}
	switch c.Workload {
	case ProbeLatency:
		for _, s := range samples {
			res.RawLatenciesS = append(res.RawLatenciesS, s.LatenciesS...)
			res.RawLatencyRuns = append(res.RawLatencyRuns, len(s.LatenciesS))
		}
		res.Latency = SummarizeLatencies(res.RawLatenciesS)
	case ProbeIO:
		res.RawRoundTripsPerS = RoundTripRates(samples)
		rates := Summarize(res.RawRoundTripsPerS)
		res.RoundTripsPerS = &rates
	}
	res.OtherLoad = SummarizeLoad(samples, busyCores)
	return res
}

// Waiting is the workers' median share of time spent waiting, averaged
// over the workers; false when there are no per-worker figures.
func (r Result) Waiting() (share float64, ok bool) {
	if len(r.PerWorker) == 0 {
		return 0, false
	}
	for _, w := range r.PerWorker {
		share += w.WaitShare
	}
	return share / float64(len(r.PerWorker)), true
}

// AttachWait is the workers' median attach wait, averaged over the
// workers (goroutines only).
func (r Result) AttachWait() float64 {
	if len(r.PerWorker) == 0 {
		return 0
	}
	total := 0.0
	for _, w := range r.PerWorker {
		total += w.AttachWaitS
	}
	return total / float64(len(r.PerWorker))
}

// Skip returns the result of a cell that could not run, saying why.
func Skip(interp Interpreter, m machine.Machine, c Cell, p Params, reason string) Result {
	return Result{Interpreter: interp, Machine: m, Cell: c, Params: p, Skipped: reason}
}

// AddRatios fills the ratios that divide by another result of the same
// interpreter: speedups against serial (AddSpeedups) and the I/O probe's
// share of its idle rate (AddIdleShares).
func AddRatios(rs []Result) {
	AddSpeedups(rs)
	AddIdleShares(rs)
}

// AddSpeedups fills Speedup and Efficiency from the serial result of the
// same interpreter, workload and workers.
func AddSpeedups(rs []Result) {
	ix := NewIndex(rs)
	for i := range rs {
		r := &rs[i]
		if r.IsProbe() {
			continue
		}
		base, ok := ix.Get(r.Interpreter.Name, r.SerialCell())
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
