// Package check turns results into verdicts on the article's claims, one
// per interpreter, each with the measured evidence, the interval and the
// threshold it was held against. Every timed claim declares the ratios it
// judges (claims.go): the runs of two cells paired run by run, held
// against a threshold by a sequential rule (package sequential) whose
// interval stays valid however often it is looked at, so that the driver
// can stop measuring as soon as the answer is known (Needs). A verdict is
// "holds" or "does not hold" only when that interval — widened by how far
// the measured disturbance could have moved the ratio — lies on one side
// of the threshold; pairs measured on a busy machine are set aside.
package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/sequential"
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
	// Judging is the rule and budget the ratios are judged by (the zero
	// value: DefaultJudging).
	Judging Judging
}

// Thresholds describes the thresholds and the method in a closing note.
func Thresholds() string { return ThresholdsOf(DefaultJudging) }

// ThresholdsOf is Thresholds for a given judging: it names the rule and
// budget and prints the rule's rate of wrong verdicts at the threshold,
// simulated now (deterministically) under its own model.
func ThresholdsOf(jd Judging) string {
	s := jd.Stopper
	sim := s.Simulate(sequential.Scenario{Effect: 0, Noise: sequential.Normal, Cells: ClosingNoteCells, Seed: 1})
	return fmt.Sprintf("Thresholds: no speedup <= %.2fx; parallel >= %.2fx with 2 workers; a slowdown counts above %.0f%%; "+
		"I/O works well under load when it keeps >= %.0f%% of its idle round trips beside 1 CPU-bound thread. "+
		"Each ratio pairs the runs of its two cells round by round and is judged by a %s: it holds or does not hold only when the whole interval "+
		"(CS), widened by how far the other processes measured during the runs (steal included) could have moved it, lies on one side of its threshold; "+
		"a pair of runs is set aside when other processes could have slowed one of them more than %.2f of a core slows a CPU-bound run. A cell runs %d to %d times, stopping as soon as every ratio it serves is decided "+
		"or cannot be decided within that budget. Simulated, %d cells whose true ratio sits exactly at the threshold got a (wrong) verdict %.1f%% of the time "+
		"(the rule promises at most %.0f%%).",
		NoSpeedupMax, ParallelMin, SlowdownMinPct, IOUnderLoadMin*100, s.Rule, jd.BusyCores, s.Min, s.Max,
		sim.Cells, 100*sim.Wrong(), 100*s.Rule.Alpha)
}

// ClosingNoteCells is how many cells at the threshold the closing note
// simulates (a few milliseconds).
const ClosingNoteCells = 4000

// Evaluate judges every claim on every interpreter in rs.
func Evaluate(rs []results.Result, facts Facts) Report {
	jd := facts.Judging
	if jd.Stopper == nil {
		jd = DefaultJudging
	}
	j := judge{ix: results.NewIndex(rs), info: map[string]results.Interpreter{}, jd: jd, refcount: facts.RefcountOutput}
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
	var out []Claim
	for _, cl := range claims {
		out = append(out, j.perInterp(cl))
	}
	return Report{Claims: out}
}

// judge holds what every claim looks at.
type judge struct {
	ix       results.Index
	info     map[string]results.Interpreter
	names    []string
	jd       Judging
	refcount map[string]string // Facts.RefcountOutput
}

// compare judges a comparison on the results.
func (j judge) compare(c Comparison) Judgement { return j.jd.Judge(j.ix, c) }

// interval is a judgement's interval in words at the rule's level.
func (j judge) interval(g Judgement) string { return g.IntervalText(1 - j.jd.Stopper.Rule.Alpha) }

// because adds why a judgement has no verdict to evidence.
func because(evidence string, g Judgement) string {
	if g.Why == "" {
		return evidence
	}
	return evidence + "; " + g.Why
}

// perInterp judges cl on every interpreter.
func (j judge) perInterp(cl claim) Claim {
	c := Claim{ID: cl.ID, Claim: cl.Text, Verdicts: map[string]Verdict{}}
	for _, n := range j.names {
		c.Verdicts[n] = cl.verdict(j, cl, n)
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

// speedupClaim judges a claim about one speedup.
func (j judge) speedupClaim(cl claim, n string) Verdict {
	return j.speedupVerdict(cl.Ratios[0].on(cl.ID, n, "", results.Params{}))
}

// speedupVerdict judges how many times as fast as serial a cell ran.
func (j judge) speedupVerdict(c Comparison) Verdict {
	g := j.compare(c)
	if v, ok := unjudged(g); ok {
		return v
	}
	res, _ := j.ix.Get(c.Den.Interpreter, c.Den.Cell)
	return Verdict{Verdict: g.Verdict, Evidence: because(fmt.Sprintf("%s: %.2f times as fast as serial (%s; median %s; %s)",
		c.Den.Cell, g.Ratio, j.interval(g), secs(res.WallS.Median), c.Rule), g)}
}

func secs(s float64) string { return fmt.Sprintf("%.3f s", s) }

// asyncioVerdict judges io-sleep serial x1 / asyncio serial x1: how many
// of the run's sleeps overlapped.
func (j judge) asyncioVerdict(cl claim, n string) Verdict {
	x := cl.Ratios[0]
	a, why := usable(j.ix, results.Key{Interpreter: n, Cell: x.Den})
	if why != "" {
		return Verdict{Verdict: NA, Evidence: why}
	}
	ops := a.Params.IOOps
	g := j.compare(x.on(cl.ID, n, "", a.Params))
	if v, ok := unjudged(g); ok {
		return v
	}
	s, _ := j.ix.Get(n, x.Num)
	return Verdict{Verdict: g.Verdict, Evidence: because(fmt.Sprintf("%d sleeps of %.0f ms: asyncio in one thread %s, one after another %s: %.1fx (%s; %s, half the sleeps overlapping)",
		ops, a.Params.SleepS*1000, secs(a.WallS.Median), secs(s.WallS.Median), g.Ratio, j.interval(g), g.Rule), g)}
}

// refcountVerdict judges what refcount.py printed.
func (j judge) refcountVerdict(_ claim, n string) Verdict {
	out, ok := j.refcount[n]
	if !ok {
		return Verdict{Verdict: NA, Evidence: "refcount.py was not run on this interpreter"}
	}
	got := strings.Join(strings.Fields(out), " ")
	if got == "4 5" {
		return Verdict{Verdict: Holds, Evidence: "printed 4 5"}
	}
	return Verdict{Verdict: DoesNotHold, Evidence: fmt.Sprintf("printed %s (string literals are immortal since 3.12, PEP 683)", got)}
}

// freeThreadedVerdict judges the interpreters' identities: a free-threaded
// build with the GIL off, and on with PYTHON_GIL=1.
func (j judge) freeThreadedVerdict(_ claim, n string) Verdict {
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
// round trips it keeps as a share of its idle rate. The probe's other
// cells, where they were measured, are shown beside it.
func (j judge) ioUnderLoadVerdict(cl claim, n string) Verdict {
	x := cl.Ratios[0]
	g := j.compare(x.on(cl.ID, n, "", results.Params{}))
	if v, ok := unjudged(g); ok {
		return v
	}
	idle, _ := j.ix.Get(n, x.Den)
	r, _ := j.ix.Get(n, x.Num)
	interval := j.interval(g)
	if g.Bounded {
		interval = fmt.Sprintf("%.0f%% CS %.1f–%.1f%%, %d pairs", 100*(1-j.jd.Stopper.Rule.Alpha), 100*g.Lo, 100*g.Hi, g.Pairs)
	}
	ev := fmt.Sprintf("a Python thread's loopback round trips: %.0f/s idle, %.0f/s beside 1 CPU-bound thread = %.1f%% of idle (%s; holds if >= %.0f%%)",
		idle.RoundTripsPerS.Median, r.RoundTripsPerS.Median, 100*g.Ratio, interval, 100*IOUnderLoadMin)
	var more []string
	for k := 2; k <= 64; k++ {
		c := x.Den
		c.CPUThreads = k
		if o, ok := j.ix.Get(n, c); ok && o.Measured() && o.OfIdle != nil {
			more = append(more, fmt.Sprintf("%d: %.1f%%", k, 100*o.OfIdle.Value))
		}
	}
	if len(more) > 0 {
		ev += "; with more CPU-bound threads " + strings.Join(more, ", ")
	}
	return Verdict{Verdict: g.Verdict, Evidence: because(ev, g)}
}

// Tally counts the verdicts of a report: "36 verdicts: 30 decided (18
// holds, 12 does not hold), 4 inconclusive, 2 n/a".
func (r Report) Tally() string {
	count := map[string]int{}
	total := 0
	for _, c := range r.Claims {
		for _, v := range c.Verdicts {
			count[v.Verdict]++
			total++
		}
	}
	return fmt.Sprintf("%d verdicts: %d decided (%d holds, %d does not hold), %d inconclusive, %d n/a",
		total, count[Holds]+count[DoesNotHold], count[Holds], count[DoesNotHold], count[Inconclusive], count[NA])
}
