// Package check turns results into verdicts on the article's claims, one
// per interpreter, each with the measured evidence, the interval and the
// threshold it was held against. A verdict is "holds" or "does not hold"
// only when the whole confidence interval lies on one side of the
// threshold; a cell measured on a busy machine is never judged.
package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Verdicts.
const (
	Holds        = "holds"
	DoesNotHold  = "does not hold"
	Inconclusive = "inconclusive"
	NA           = "n/a"
)

// Thresholds, stated in the output beside every verdict.
const (
	NoSpeedupMax   = 1.15 // "no speedup": at most this much faster
	ParallelMin    = 1.5  // "runs in parallel": at least this much faster with 2 workers
	SlowdownMinPct = 5.0  // "slows single-threaded code": by more than this
	// IOUnderLoadMin is the share of its idle round trips an I/O-bound
	// thread must keep beside one CPU-bound thread to "work well".
	IOUnderLoadMin = 0.5
)

// Verdict is one claim on one interpreter.
type Verdict struct {
	Verdict  string `json:"verdict"`
	Evidence string `json:"evidence"`
	// Baseline names what a comparison was made against, when that
	// matters for reading it (nogil-single-thread-cost).
	Baseline string `json:"baseline,omitempty"`
}

// Claim is one of the article's claims with a verdict per interpreter and
// an overall one.
type Claim struct {
	ID       string             `json:"id"`
	Claim    string             `json:"claim"`
	Overall  string             `json:"overall"`
	Verdicts map[string]Verdict `json:"verdicts"`
}

// Names returns the interpreters the claim was judged on, sorted.
func (c Claim) Names() []string {
	names := make([]string, 0, len(c.Verdicts))
	for n := range c.Verdicts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Report is `gilctl check --json`.
type Report struct {
	Claims []Claim `json:"claims"`
}

// Facts are what check needs beyond results, per interpreter name.
type Facts struct {
	// RefcountOutput is what pyexamples/refcount.py printed.
	RefcountOutput map[string]string
	// Info per interpreter name (including NAME+gil variants).
	Info map[string]results.Interpreter
}

// Thresholds describes the thresholds and the method in one line.
func Thresholds() string {
	return fmt.Sprintf("Thresholds: no speedup <= %.2fx; parallel >= %.2fx with 2 workers; a slowdown counts above %.0f%%; "+
		"I/O works well under load when it keeps >= %.0f%% of its idle round trips beside 1 CPU-bound thread. "+
		"A claim holds or does not hold only when the whole confidence interval of the ratio (built from the %.0f%% intervals of both medians) "+
		"lies on one side of its threshold; a cell measured while other processes used more than a stated share of a core is not judged.",
		NoSpeedupMax, ParallelMin, SlowdownMinPct, IOUnderLoadMin*100, results.Confidence*100)
}

// Evaluate judges every claim on every interpreter in rs.
func Evaluate(rs []results.Result, facts Facts) Report {
	j := judge{ix: results.NewIndex(rs), info: map[string]results.Interpreter{}}
	j.names = results.Names(rs)
	for name := range facts.RefcountOutput {
		if !slices.Contains(j.names, name) {
			j.names = append(j.names, name)
		}
	}
	for _, r := range rs {
		j.info[r.Interpreter.Name] = r.Interpreter
	}
	for n, i := range facts.Info {
		j.info[n] = i
	}
	noSpeedup := rule{atMost: true, limit: NoSpeedupMax}
	parallel := rule{limit: ParallelMin}
	speedup := func(c results.Cell, r rule) func(string) Verdict {
		return func(n string) Verdict { return j.speedupVerdict(n, c, r) }
	}
	claims := []Claim{
		j.perInterp("cpu-threads-no-speedup", "Two threads give no speedup on CPU-bound code (the GIL lets one run at a time)",
			speedup(results.Cell{Workload: "countdown", Mode: "threads", Workers: 2}, noSpeedup)),
		j.perInterp("io-threads-overlap", "I/O-bound threads overlap their waits (a waiting thread releases the GIL)",
			speedup(results.Cell{Workload: "io-sleep", Mode: "threads", Workers: 2}, parallel)),
		j.perInterp("multiprocessing-parallel", "multiprocessing uses several cores for CPU-bound code",
			speedup(results.Cell{Workload: "countdown", Mode: "processes", Workers: 2}, parallel)),
		j.perInterp("release-gil-parallel", "Libraries that release the GIL (C: hashlib; Go: gilkit.countdown, gopy) run in parallel in threads",
			j.releaseVerdict),
		j.perInterp("asyncio-overlap", "asyncio overlaps I/O waits in one thread", j.asyncioVerdict),
		j.perInterp("io-threads-under-cpu-load", "I/O-bound threads work well in Python, also while a CPU-bound thread runs", j.ioUnderLoadVerdict),
		j.perInterp("refcount-4-5", "sys.getrefcount of a new string prints 4, then 5 after a second reference",
			func(n string) Verdict { return refcountVerdict(facts.RefcountOutput, n) }),
		j.perInterp("free-threaded-build", "Free-threaded builds exist and run without the GIL; PYTHON_GIL=1 turns it back on",
			j.freeThreadedVerdict),
		j.perInterp("nogil-single-thread-cost", "Removing the GIL slows single-threaded code", j.singleThreadCost),
	}
	return Report{Claims: claims}
}

// judge holds what every claim looks at.
type judge struct {
	ix    results.Index
	info  map[string]results.Interpreter
	names []string
}

func (j judge) perInterp(id, text string, verdict func(string) Verdict) Claim {
	c := Claim{ID: id, Claim: text, Verdicts: map[string]Verdict{}}
	for _, n := range j.names {
		c.Verdicts[n] = verdict(n)
	}
	c.Overall = overall(c.Verdicts)
	return c
}

// overall sums up the verdicts: holds, does not hold, holds only on some
// interpreters (naming them), inconclusive, or n/a.
func overall(vs map[string]Verdict) string {
	var holds, not, unsure []string
	for n, v := range vs {
		switch v.Verdict {
		case Holds:
			holds = append(holds, n)
		case DoesNotHold:
			not = append(not, n)
		case Inconclusive:
			unsure = append(unsure, n)
		}
	}
	slices.Sort(holds)
	slices.Sort(unsure)
	var s string
	switch {
	case len(holds) == 0 && len(not) == 0 && len(unsure) > 0:
		return Inconclusive
	case len(holds) == 0 && len(not) == 0:
		return NA
	case len(not) == 0:
		s = Holds
	case len(holds) == 0:
		s = DoesNotHold
	default:
		s = "holds only on " + strings.Join(holds, ", ")
	}
	if len(unsure) > 0 {
		s += " (inconclusive on " + strings.Join(unsure, ", ") + ")"
	}
	return s
}

// measured returns interpreter n's result for cell c, or the verdict that
// says why there is nothing to judge (not run, skipped, busy).
func (j judge) measured(n string, c results.Cell) (results.Result, *Verdict) {
	r, ok := j.ix.Get(n, c)
	switch {
	case !ok:
		return r, &Verdict{Verdict: NA, Evidence: fmt.Sprintf("not measured (%s was not in the run)", c)}
	case r.Skipped != "":
		return r, &Verdict{Verdict: NA, Evidence: fmt.Sprintf("%s skipped: %s", c, r.Skipped)}
	case !r.Measured():
		return r, &Verdict{Verdict: NA, Evidence: fmt.Sprintf("%s has no figures", c)}
	case r.Busy():
		return r, &Verdict{Verdict: Inconclusive, Evidence: fmt.Sprintf(
			"not judged: %s was measured on a busy machine (%s; more than %.2f of a core counts as busy); re-run on a quiet machine or with --retry-busy",
			c, r.OtherLoad, r.OtherLoad.ThresholdCores)}
	}
	return r, nil
}

// speedupVerdict judges a cell's speedup against serial.
func (j judge) speedupVerdict(n string, c results.Cell, r rule) Verdict {
	res, why := j.measured(n, c)
	if why != nil {
		return *why
	}
	if res.Speedup == nil {
		return Verdict{Verdict: NA, Evidence: fmt.Sprintf("no serial baseline for %s x%d", c.Workload, c.Workers)}
	}
	if res.BaselineBusy {
		// The speedup divides by the serial run: a slowed baseline
		// inflates it as surely as a slowed cell deflates it.
		_, why := j.measured(n, results.Cell{Workload: c.Workload, Mode: "serial", Workers: c.Workers})
		if why != nil {
			why.Evidence = fmt.Sprintf("%s: its serial baseline is not usable: %s", c, why.Evidence)
			return *why
		}
	}
	v, interval := r.judge(*res.Speedup)
	return Verdict{Verdict: v, Evidence: fmt.Sprintf("%s: %.2f times as fast as serial (%s; median %s; %s)",
		c, res.Speedup.Value, interval, secs(res.WallS.Median), r)}
}

func secs(s float64) string { return fmt.Sprintf("%.3f s", s) }

func (j judge) asyncioVerdict(n string) Verdict {
	a, why := j.measured(n, results.Cell{Workload: "asyncio", Mode: "serial", Workers: 1})
	if why != nil {
		return *why
	}
	s, why := j.measured(n, results.Cell{Workload: "io-sleep", Mode: "serial", Workers: 1})
	if why != nil {
		return *why
	}
	ops := a.Params.IOOps
	r := rule{limit: float64(ops) / 2}
	ratio := results.RatioOf(*s.WallS, *a.WallS)
	v, interval := r.judge(ratio)
	return Verdict{Verdict: v, Evidence: fmt.Sprintf("%d sleeps of %.0f ms: asyncio in one thread %s, one after another %s: %.1fx (%s; %s, half the sleeps overlapping)",
		ops, a.Params.SleepS*1000, secs(a.WallS.Median), secs(s.WallS.Median), ratio.Value, interval, r)}
}

func refcountVerdict(outputs map[string]string, n string) Verdict {
	out, ok := outputs[n]
	if !ok {
		return Verdict{Verdict: NA, Evidence: "refcount.py was not run on this interpreter"}
	}
	got := strings.Join(strings.Fields(out), " ")
	if got == "4 5" {
		return Verdict{Verdict: Holds, Evidence: "printed 4 5"}
	}
	return Verdict{Verdict: DoesNotHold, Evidence: fmt.Sprintf("printed %s (string literals are immortal since 3.12, PEP 683)", got)}
}

func (j judge) freeThreadedVerdict(n string) Verdict {
	i, ok := j.info[n]
	if !ok {
		return Verdict{Verdict: NA, Evidence: "no interpreter info"}
	}
	if !i.FreeThreaded {
		return Verdict{Verdict: NA, Evidence: fmt.Sprintf("%s is a GIL build", n)}
	}
	base := strings.TrimSuffix(n, "+gil")
	off, okOff := j.info[base]
	on, okOn := j.info[base+"+gil"]
	switch {
	case !okOff || !okOn:
		return Verdict{Verdict: NA, Evidence: fmt.Sprintf("needs both %s and %s+gil", base, base)}
	case !off.GILEnabled && on.GILEnabled:
		return Verdict{Verdict: Holds, Evidence: fmt.Sprintf("%s (CPython %s) runs with the GIL off; with PYTHON_GIL=1 it is on", base, off.Version)}
	}
	return Verdict{Verdict: DoesNotHold, Evidence: fmt.Sprintf("%s: GIL on=%v by default, on=%v with PYTHON_GIL=1", base, off.GILEnabled, on.GILEnabled)}
}

// ioUnderLoadVerdict judges the I/O probe beside one CPU-bound thread: the
// round trips it keeps as a share of its idle rate.
func (j judge) ioUnderLoadVerdict(n string) Verdict {
	idleCell := results.Cell{Workload: results.ProbeIO, Mode: results.ProbeThread, Workers: 0, SwitchIntervalS: results.DefaultSwitchIntervalS}
	loaded := idleCell
	loaded.Workers = 1
	idle, why := j.measured(n, idleCell)
	if why != nil {
		return *why
	}
	r, why := j.measured(n, loaded)
	if why != nil {
		return *why
	}
	if r.OfIdle == nil {
		return Verdict{Verdict: NA, Evidence: fmt.Sprintf("%s: no idle rate to compare with", loaded)}
	}
	rule := rule{limit: IOUnderLoadMin}
	v, interval := rule.judge(*r.OfIdle)
	if ci := r.OfIdle.CI; ci != nil {
		interval = fmt.Sprintf("%.0f%% CI %.1f–%.1f%%", ci.Confidence*100, 100*ci.Lo, 100*ci.Hi)
	}
	ev := fmt.Sprintf("a Python thread's loopback round trips: %.0f/s idle, %.0f/s beside 1 CPU-bound thread = %.1f%% of idle (%s; holds if >= %.0f%%)",
		idle.RoundTripsPerS.Median, r.RoundTripsPerS.Median, 100*r.OfIdle.Value, interval, 100*IOUnderLoadMin)
	var more []string
	for k := 2; k <= 64; k++ {
		c := idleCell
		c.Workers = k
		if o, ok := j.ix.Get(n, c); ok && o.Measured() && o.OfIdle != nil {
			more = append(more, fmt.Sprintf("%d: %.1f%%", k, 100*o.OfIdle.Value))
		}
	}
	if len(more) > 0 {
		ev += "; with more CPU-bound threads " + strings.Join(more, ", ")
	}
	return Verdict{Verdict: v, Evidence: ev}
}
