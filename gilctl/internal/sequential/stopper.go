package sequential

import (
	"fmt"
	"math"
)

// Stopper applies a Rule to streams of observations judged against a
// threshold, within a budget of observations: at least Min (no stream
// stops before), at most Max.
type Stopper struct {
	Rule     Rule
	Min, Max int
	// Futility stops a stream early when even Max observations would
	// leave its threshold inside the interval (NewStopper sets it).
	Futility bool
	// rstar[n] is the r = n(x̄-θ)²/Σ(x-θ)² at which the e-value after n
	// observations reaches 1/alpha (1 or more: never): it depends on n
	// alone, so that an interval costs a square root.
	rstar []float64
}

// NewStopper checks the rule and the budget and returns a Stopper.
func NewStopper(rule Rule, min, max int) (*Stopper, error) {
	if err := rule.Check(); err != nil {
		return nil, err
	}
	if min < 1 || max < min {
		return nil, fmt.Errorf("a budget needs 1 <= min <= max observations, got min %d, max %d", min, max)
	}
	s := &Stopper{Rule: rule, Min: min, Max: max, Futility: true, rstar: make([]float64, max+1)}
	for n := range s.rstar {
		s.rstar[n] = rule.rStar(n)
	}
	return s, nil
}

// widthFactor is the interval's half width after n observations, in units
// of the sample standard deviation; +Inf when it is unbounded.
func (s *Stopper) widthFactor(n int) float64 {
	if n < 2 || n >= len(s.rstar) || s.rstar[n] >= 1 {
		return math.Inf(1)
	}
	r := s.rstar[n]
	return math.Sqrt(r / (1 - r) * float64(n-1) / float64(n))
}

// Decision is where a stream's mean was found to lie.
type Decision int

// Decisions.
const (
	Undecided Decision = iota
	Above              // the whole interval lies above the threshold
	Below              // the whole interval lies below it
)

func (d Decision) String() string {
	switch d {
	case Above:
		return "above"
	case Below:
		return "below"
	}
	return "undecided"
}

// Stop says why a stream needs no more observations, or "" when it does.
type Stop string

// Reasons to stop.
const (
	Going      Stop = ""
	Decided    Stop = "decided" // the interval cleared the threshold
	Budget     Stop = "budget"  // Max observations taken, still undecided
	Futile     Stop = "futile"  // the budget cannot decide it: the mean sits too near the threshold
	Contradict Stop = "drift"   // the intervals of different moments do not overlap
)

// FutileFrom is the number of observations before which a stream is never
// called futile: the spread of fewer is too poorly known to project.
const FutileFrom = 5

// Sequence is one stream judged against a threshold. Observations go in
// one at a time, each with how far a disturbance could have moved the mean
// of all observations so far: up (the true mean may be that much lower)
// and down (that much higher). The interval at each step is the confidence
// sequence's, widened by that slack, and intersected with every earlier
// one.
type Sequence struct {
	s        *Stopper
	theta    float64
	xs       []float64
	sum      float64
	up, down float64 // the latest slack
	iv       Interval
	decided  Decision
}

// Start begins a stream judged against theta.
func (s *Stopper) Start(theta float64) *Sequence {
	return &Sequence{s: s, theta: theta, iv: Interval{Lo: math.Inf(-1), Hi: math.Inf(1)}}
}

// Add records one observation x and the slack of the mean so far (both
// >= 0; 0 when nothing disturbed the runs).
func (q *Sequence) Add(x, up, down float64) {
	q.xs = append(q.xs, x)
	q.sum += x
	q.up, q.down = math.Max(0, up), math.Max(0, down)
	n := len(q.xs)
	mean := q.sum / float64(n)
	cur := Interval{N: n, Mean: mean, Lo: math.Inf(-1), Hi: math.Inf(1)}
	if f := q.s.widthFactor(n); !math.IsInf(f, 1) {
		cur.Bounded = true
		half := f * sampleSD(q.xs, mean)
		cur.Lo, cur.Hi = mean-half-q.up, mean+half+q.down
	}
	q.iv = Intersect(q.iv, cur)
	if q.decided == Undecided && q.iv.Excludes(q.theta) && !q.iv.Empty() {
		q.decided = Below
		if q.iv.Lo > q.theta {
			q.decided = Above
		}
	}
}

// sampleSD is the standard deviation of xs around mean (n-1), 0 for fewer
// than two.
func sampleSD(xs []float64, mean float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	var ss float64
	for _, v := range xs {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// State is what a stream knows now.
type State struct {
	N int
	// Mean is the mean of the observations; Interval the running
	// intersection of the confidence sequence, widened by the slack.
	Mean     float64
	Interval Interval
	Decision Decision
	Stop     Stop
	// SD is the observations' standard deviation (0 for fewer than two).
	SD float64
	// Slack is the mean slack on the side of the threshold (how far
	// disturbance could have pushed the mean towards or across it).
	Slack float64
}

// State returns what the stream knows and whether it should stop.
func (q *Sequence) State() State {
	n := len(q.xs)
	st := State{N: n, Interval: q.iv, Decision: q.decided}
	if q.iv.Empty() {
		st.Decision = Undecided // the data contradict themselves: no verdict
	}
	if n == 0 {
		return st
	}
	st.Mean = q.sum / float64(n)
	st.SD = sampleSD(q.xs, st.Mean)
	// The slack that matters is the one that could have moved the mean
	// away from the threshold: a mean above it may truly be lower.
	st.Slack = q.up
	if st.Mean < q.theta {
		st.Slack = q.down
	}
	switch {
	case q.iv.Empty():
		st.Stop = Contradict
	case n < q.s.Min:
	case q.decided != Undecided:
		st.Stop = Decided
	case n >= q.s.Max:
		st.Stop = Budget
	case q.s.Futility && n >= FutileFrom && q.futile(st):
		st.Stop = Futile
	}
	return st
}

// futile reports whether, at the spread seen so far, even Max observations
// would leave an interval that contains the threshold.
func (q *Sequence) futile(st State) bool {
	// Optimistic: the mean may be two standard errors further from the
	// threshold than it looks.
	margin := math.Abs(st.Mean-q.theta) + FutileSE*st.SD/math.Sqrt(float64(st.N)) - st.Slack
	return margin <= 0 || q.s.widthFactor(q.s.Max)*st.SD >= margin
}

// FutileSE is how many standard errors of optimism the futility
// projection allows: with 2, a cell one standard deviation from its
// threshold is called futile as rarely as never calling any futile would
// leave it undecided (simulated: 78% decided within 20 either way), while
// a cell at its threshold stops after 10 observations on average, not 20.
const FutileSE = 2.0

// Needed estimates how many observations the stream would need in all to
// decide at the spread and mean seen so far (0 when it cannot tell, or it
// would take more than ten times the budget).
func (q *Sequence) Needed() int {
	st := q.State()
	margin := math.Abs(st.Mean-q.theta) - st.Slack
	if st.N < 2 || margin <= 0 {
		return 0
	}
	for n := max(2, st.N); n <= 10*q.s.Max; n++ {
		if q.s.widthFactorAt(n)*st.SD < margin {
			return n
		}
	}
	return 0
}

// widthFactorAt is widthFactor beyond the precomputed budget too.
func (s *Stopper) widthFactorAt(n int) float64 {
	if n < len(s.rstar) {
		return s.widthFactor(n)
	}
	iv := s.Rule.Interval(unitSpread(n))
	if !iv.Bounded {
		return math.Inf(1)
	}
	return iv.Hi // unitSpread has mean 0 and standard deviation 1
}

// unitSpread is n observations of mean 0 and sample standard deviation 1.
func unitSpread(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = -1
		if i%2 == 1 {
			xs[i] = 1
		}
	}
	if n%2 == 1 {
		xs[n-1] = 0
	}
	mean, ss := meanAndSS(xs)
	sd := math.Sqrt(ss / float64(n-1))
	for i := range xs {
		xs[i] = (xs[i] - mean) / sd
	}
	return xs
}
