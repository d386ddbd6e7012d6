package check

import (
	"fmt"
	"math"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/sequential"
)

// Judging is how comparisons are judged: the sequential rule with its
// budget of pairs, and the share of a core other processes may use during
// a run before its pair is set aside as disturbed.
type Judging struct {
	Stopper   *sequential.Stopper
	BusyCores float64
}

// NewJudging returns a Judging with the default rule and the given budget
// (counted runs per cell) and busy threshold.
func NewJudging(minRuns, maxRuns int, busyCores float64) (Judging, error) {
	s, err := sequential.NewStopper(sequential.DefaultRule, minRuns, maxRuns)
	if err != nil {
		return Judging{}, err
	}
	if busyCores <= 0 {
		busyCores = results.DefaultBusyCores
	}
	return Judging{Stopper: s, BusyCores: busyCores}, nil
}

// DefaultJudging is what check uses unless told otherwise: the default
// rule and budget of package matrix.
var DefaultJudging = func() Judging {
	j, err := NewJudging(matrix.DefaultRuns, matrix.DefaultMaxRuns, results.DefaultBusyCores)
	if err != nil {
		panic(err) // the defaults are constants
	}
	return j
}()

// MaxDisturbance caps the share of the machine a disturbance bound
// assumes was lost: beyond it no ratio can be trusted anyway.
const MaxDisturbance = 0.9

// Judgement is where a comparison stands.
type Judgement struct {
	Comparison
	// Verdict is Holds, DoesNotHold, Inconclusive or NA.
	Verdict string
	// Stop is why no more runs would help (a results.Stop* reason), or ""
	// when more could.
	Stop string
	// Ratio is the geometric mean of the kept pairs' ratios; Lo..Hi its
	// confidence sequence's interval (Bounded false: none yet).
	Ratio, Lo, Hi float64
	Bounded       bool
	// Pairs were judged; SetAside were measured while the machine was
	// busy and left out.
	Pairs, SetAside int
	// OtherCores is what other processes (steal included) used during the
	// kept runs, the more disturbed of the two cells; Slack how far that
	// could have moved the ratio (0.12: 12%).
	OtherCores, Slack float64
	// Needed estimates the pairs it would take to decide (0: unknown).
	Needed int
	// Why says why there is no verdict; "" when there is one.
	Why string
}

// Judge judges comparison c on the results in ix.
func (jd Judging) Judge(ix results.Index, c Comparison) Judgement {
	g := Judgement{Comparison: c, Verdict: NA}
	// The denominator first: it is the cell the claim is about (the
	// threaded run of a speedup, the idle probe, the baseline build).
	den, why := usable(ix, c.Den)
	if why == "" {
		_, why = usable(ix, c.Num)
	}
	if why != "" {
		g.Stop, g.Why = results.StopNA, why
		return g
	}
	num, _ := ix.Get(c.Num.Interpreter, c.Num.Cell)
	cores := float64(max(num.Machine.Cores, den.Machine.Cores, 1))
	theta := math.Log(c.Rule.limit)
	seq, twin := jd.Stopper.Start(theta), jd.Stopper.Start(theta)
	var numLoad, denLoad loadSum
	for _, p := range results.Pairs(num, den, c.Quantity) {
		if !(p.Num > 0 && p.Den > 0) {
			continue
		}
		if jd.busy(p.NumLoad, cores) || jd.busy(p.DenLoad, cores) {
			g.SetAside++
			continue
		}
		numLoad.add(p.NumLoad)
		denLoad.add(p.DenLoad)
		// A disturbed run takes longer (wall time) or does less (a rate).
		up, down := numLoad.slack(cores), denLoad.slack(cores)
		if c.Quantity == results.RoundTrips {
			up, down = down, up
		}
		x := math.Log(p.Num / p.Den)
		seq.Add(x, up, down)
		twin.Add(x, 0, 0)
	}
	st := seq.State()
	g.Pairs = st.N
	g.OtherCores = math.Max(numLoad.cores(), denLoad.cores())
	g.Slack = math.Expm1(st.Slack)
	if st.N == 0 {
		// More runs may bring quiet pairs: the driver goes on until the
		// budget is spent.
		g.Verdict = Inconclusive
		g.Why = "no pair of runs to judge"
		if g.SetAside > 0 {
			g.Why = fmt.Sprintf("not judged: all %d pairs of runs were measured on a busy machine (other processes could have slowed them more than %.2f of a core slows a CPU-bound run); run again on a quieter machine",
				g.SetAside, jd.BusyCores)
		}
		return g
	}
	g.Ratio = math.Exp(st.Mean)
	g.Bounded = st.Interval.Bounded && !st.Interval.Empty()
	if g.Bounded {
		g.Lo, g.Hi = math.Exp(st.Interval.Lo), math.Exp(st.Interval.Hi)
	}
	g.Needed = seq.Needed()
	g.Verdict = c.Rule.verdict(st.Decision)
	switch st.Stop {
	case sequential.Decided:
		g.Stop = results.StopDecided
	case sequential.Futile:
		g.Stop = results.StopHopeless
	case sequential.Budget:
		g.Stop = results.StopBudget
	case sequential.Contradict:
		g.Stop = results.StopDrift
	}
	if g.Verdict == Inconclusive {
		g.Why = jd.why(g, st, twin.State())
	}
	return g
}

// unjudged is the verdict of a comparison that has no pair to judge (n/a,
// or every pair set aside), with its reason alone: there is no figure to
// show.
func unjudged(g Judgement) (Verdict, bool) {
	switch {
	case g.Verdict == NA:
		return Verdict{Verdict: NA, Evidence: g.Why}, true
	case g.Pairs == 0:
		return Verdict{Verdict: g.Verdict, Evidence: fmt.Sprintf("%s: %s", g.Den.Cell, g.Why)}, true
	}
	return Verdict{}, false
}

// usable returns k's result, or why it cannot be judged.
func usable(ix results.Index, k results.Key) (results.Result, string) {
	r, ok := ix.Get(k.Interpreter, k.Cell)
	switch {
	case !ok:
		return r, fmt.Sprintf("not measured (%s was not in the run)", k.Cell)
	case r.Skipped != "":
		return r, fmt.Sprintf("%s skipped: %s", k.Cell, r.Skipped)
	case !r.Measured():
		return r, fmt.Sprintf("%s has no figures", k.Cell)
	}
	return r, ""
}

// The disturbance model. Other processes (and the hypervisor, as steal
// time) that hold a share q of the machine's cores can delay a run's own
// CPU work by at most q/(1-q) of it; a run that kept u cores busy for its
// wall time w can therefore have taken up to u·q/(1-q)·w longer than it
// would have on a quiet machine. A CPU-bound run is slowed by all of it, a
// run that mostly sleeps (io-sleep: u near 0) hardly at all: disturbance
// is judged against what it can do to the cell.

// inflation is how much longer than on a quiet machine a run with these
// counters may have taken, as a fraction (0.13: 13%), at most ten times.
func inflation(wall, own, other, cores float64) float64 {
	if wall <= 0 {
		return 0
	}
	u := math.Min(math.Max(own/wall, 0), cores)
	q := math.Min(MaxDisturbance, math.Max(other/wall, 0)/cores)
	return u * q / (1 - q)
}

// busy reports whether a run may have been slowed more than a CPU-bound
// run beside BusyCores other cores: its pair is then set aside. The
// kernel's counters are read in ticks, so the doubt goes to the run.
func (jd Judging) busy(a machine.Activity, cores float64) bool {
	if a.WallS <= 0 {
		return false
	}
	limit := inflation(1, 1, jd.BusyCores, cores)
	return inflation(a.WallS, a.OwnCPUS, a.OtherCPUS-a.ResolutionS, cores) > limit
}

// loadSum adds up what happened during the kept runs of one cell: one
// run's counters are too coarse (10 ms ticks) to trust alone.
type loadSum struct{ wall, own, other float64 }

func (l *loadSum) add(a machine.Activity) {
	if a.WallS > 0 {
		l.wall += a.WallS
		l.own += a.OwnCPUS
		l.other += a.OtherCPUS
	}
}

// cores is the mean number of cores other processes used.
func (l loadSum) cores() float64 {
	if l.wall <= 0 {
		return 0
	}
	return math.Max(0, l.other/l.wall)
}

// slack bounds, in log terms, how much longer the runs may have taken than
// on a quiet machine.
func (l loadSum) slack(cores float64) float64 {
	return math.Log1p(inflation(l.wall, l.own, l.other, cores))
}

// why says why a comparison has no verdict.
func (jd Judging) why(g Judgement, st, twin sequential.State) string {
	limit := g.Rule.limit
	switch {
	case st.Stop == sequential.Contradict:
		return "the runs drifted while measured: the intervals of different moments do not overlap; run again on a quieter machine"
	case twin.Decision != sequential.Undecided && st.Decision == sequential.Undecided:
		return fmt.Sprintf("disturbed: other processes (steal included) used %.2f cores during these runs, enough to move the ratio by up to %.0f%%, "+
			"as much as its %.1f%% distance from %.2f; run again on a quieter machine", g.OtherCores, 100*g.Slack, distancePct(g.Ratio, limit), limit)
	case !g.Bounded:
		return fmt.Sprintf("too few pairs for an interval (%d)", g.Pairs)
	case st.Stop == sequential.Futile || st.Stop == sequential.Budget:
		need := "more than ten times the budget"
		if g.Needed > 0 {
			need = fmt.Sprintf("about %d pairs", g.Needed)
		}
		return fmt.Sprintf("cannot be decided on this machine: after %d pairs %.2f lies %.1f%% from its threshold %.2f, inside the spread of the runs (%.1f%% a pair); "+
			"deciding it would take %s", g.Pairs, g.Ratio, distancePct(g.Ratio, limit), limit, 100*math.Expm1(st.SD), need)
	}
	return fmt.Sprintf("the interval still contains %.2f after %d pairs", limit, g.Pairs)
}

// distancePct is how far x lies from limit, in percent of limit.
func distancePct(x, limit float64) float64 { return 100 * math.Abs(x/limit-1) }

// IntervalText is the interval in words: "95% CS 1.40–1.57, 9 pairs",
// with the set-aside pairs and the disturbance when there were any.
func (g Judgement) IntervalText(conf float64) string {
	var s string
	if g.Bounded {
		s = fmt.Sprintf("%.0f%% CS %.2f–%.2f, %d pair%s", 100*conf, g.Lo, g.Hi, g.Pairs, plural(g.Pairs))
	} else {
		s = fmt.Sprintf("no interval yet, %d pair%s", g.Pairs, plural(g.Pairs))
	}
	if g.SetAside > 0 {
		s += fmt.Sprintf(" (%d more set aside: measured on a busy machine)", g.SetAside)
	}
	if g.OtherCores >= 0.05 {
		s += fmt.Sprintf("; other processes used %.2f cores, widening it by up to %.0f%%", g.OtherCores, 100*g.Slack)
	}
	return s
}

// Summary is the judgement in one line, for progress and the results'
// stop detail: "1.93x (95% CS 1.71–2.15, 3 pairs): holds".
func (g Judgement) Summary(conf float64) string {
	if g.Verdict == NA {
		return g.Label() + ": n/a: " + g.Why
	}
	s := fmt.Sprintf("%s: %.2fx (%s): %s", g.Label(), g.Ratio, g.IntervalText(conf), g.Verdict)
	if g.Pairs == 0 {
		s = fmt.Sprintf("%s: %s", g.Label(), g.Verdict)
	}
	if g.Why != "" {
		s += " — " + g.Why
	}
	return s
}

// Needs returns the comparisons the claims make on the given cells and
// interpreters, as the driver's needs: the driver then runs each pair of
// cells until its comparison is decided, found undecidable, or out of
// budget. params are the workload sizes the run uses.
func Needs(interps []results.Interpreter, cells []results.Cell, params results.Params, jd Judging) []matrix.Need {
	info := map[string]results.Interpreter{}
	for _, i := range interps {
		info[i.Name] = i
	}
	planned := map[results.Cell]bool{}
	for _, c := range cells {
		planned[c] = true
	}
	have := func(k results.Key) bool { _, ok := info[k.Interpreter]; return ok && planned[k.Cell] }
	var needs []matrix.Need
	for _, i := range interps {
		for _, c := range comparisons(i.Name, info, interps, params, have) {
			needs = append(needs, matrix.Need{
				Label: c.Label(),
				Uses:  []results.Key{c.Num, c.Den},
				Judge: func(ix results.Index) matrix.Judgement {
					g := jd.Judge(ix, c)
					return matrix.Judgement{Stop: g.Stop, Detail: g.Summary(1 - jd.Stopper.Rule.Alpha), Needed: g.Needed}
				},
			})
		}
	}
	return needs
}
