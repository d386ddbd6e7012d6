package sequential

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The interval's bounds are where the e-value reaches 1/alpha: inside it
// no mean is rejected, outside every one is.
func TestIntervalIsWhereTheEValueCrosses(t *testing.T) {
	xs := []float64{0.61, 0.64, 0.58, 0.66, 0.62, 0.60}
	iv := DefaultRule.Interval(xs)
	require.True(t, iv.Bounded)
	assert.InDelta(t, 0.6183, iv.Mean, 1e-3)
	limit := 1 / DefaultRule.Alpha
	assert.InDelta(t, limit, DefaultRule.EValue(xs, iv.Lo), 1e-6*limit)
	assert.InDelta(t, limit, DefaultRule.EValue(xs, iv.Hi), 1e-6*limit)
	assert.Less(t, DefaultRule.EValue(xs, iv.Mean), 1.0)
	assert.Less(t, DefaultRule.EValue(xs, iv.Lo+0.001), limit)
	assert.Greater(t, DefaultRule.EValue(xs, iv.Hi+0.001), limit)
	assert.True(t, iv.Excludes(0))
	assert.False(t, iv.Excludes(0.62))
}

func TestIntervalEdgeCases(t *testing.T) {
	assert.False(t, DefaultRule.Interval(nil).Bounded)
	assert.False(t, DefaultRule.Interval([]float64{1}).Bounded, "one observation rules nothing out")
	assert.False(t, DefaultRule.Interval([]float64{1, 1.1}).Bounded, "nor do two")
	same := DefaultRule.Interval([]float64{0.5, 0.5, 0.5})
	assert.True(t, same.Bounded)
	assert.Equal(t, 0.5, same.Lo, "no spread at all: only the mean itself is left")
	assert.Equal(t, 1.0, DefaultRule.EValue([]float64{2, 2}, 2))
}

// The interval after n observations is the same as the stopper's
// precomputed width: the two ways to compute it agree.
func TestStopperWidthMatchesTheRule(t *testing.T) {
	s, err := NewStopper(DefaultRule, 3, 30)
	require.NoError(t, err)
	for _, n := range []int{3, 4, 6, 10, 20, 30} {
		xs := unitSpread(n)
		iv := DefaultRule.Interval(xs)
		assert.InDelta(t, iv.Hi, s.widthFactor(n), 1e-6, "n=%d", n)
	}
	assert.InDelta(t, s.widthFactor(30), s.widthFactorAt(30), 1e-9)
	assert.Less(t, s.widthFactorAt(60), s.widthFactor(30), "wider budgets narrow the interval")
}

func TestRuleAndBudgetAreChecked(t *testing.T) {
	_, err := NewStopper(Rule{Alpha: 0, Scales: []float64{1}}, 3, 20)
	assert.ErrorContains(t, err, "alpha must be between 0 and 1")
	_, err = NewStopper(Rule{Alpha: 0.05}, 3, 20)
	assert.ErrorContains(t, err, "at least one effect scale")
	_, err = NewStopper(Rule{Alpha: 0.05, Scales: []float64{math.Inf(1)}}, 3, 20)
	assert.ErrorContains(t, err, "positive and finite")
	_, err = NewStopper(DefaultRule, 5, 3)
	assert.ErrorContains(t, err, "1 <= min <= max")
	assert.Contains(t, DefaultRule.String(), "95% confidence sequence")
	assert.Contains(t, DefaultRule.String(), "Lai 1976")
}

// feed adds xs (no slack) to a fresh sequence against theta and returns
// the state after each.
func feed(s *Stopper, theta float64, xs ...float64) []State {
	q := s.Start(theta)
	var out []State
	for _, x := range xs {
		q.Add(x, 0, 0)
		out = append(out, q.State())
	}
	return out
}

func TestSequenceStops(t *testing.T) {
	s, err := NewStopper(DefaultRule, 3, 8)
	require.NoError(t, err)
	theta := math.Log(1.15)
	clear := feed(s, theta, math.Log(1.98), math.Log(2.02), math.Log(2.0))
	assert.Equal(t, Going, clear[1].Stop, "not before the minimum")
	assert.Equal(t, Decided, clear[2].Stop)
	assert.Equal(t, Above, clear[2].Decision)
	assert.True(t, clear[2].Interval.Lo > theta)

	below := feed(s, theta, math.Log(0.97), math.Log(0.99), math.Log(0.98))
	assert.Equal(t, Below, below[2].Decision)

	// At the threshold with a wide spread: futile once the spread is
	// known, well before the budget.
	at := feed(s, 0, 0.1, -0.12, 0.08, -0.09, 0.01, -0.02)
	assert.Equal(t, Going, at[3].Stop, "never futile before FutileFrom")
	assert.Equal(t, Futile, at[4].Stop)

	s.Futility = false
	long := feed(s, 0, 0.1, -0.12, 0.08, -0.09, 0.01, -0.02, 0.05, -0.04)
	assert.Equal(t, Going, long[6].Stop)
	assert.Equal(t, Budget, long[7].Stop)
	assert.Equal(t, Undecided, long[7].Decision)
}

// Slack — how far disturbance could have moved the mean — widens the
// interval: the same runs that decide on a quiet machine do not when the
// disturbance is as large as their distance from the threshold.
func TestSlackWidensTheInterval(t *testing.T) {
	s, err := NewStopper(DefaultRule, 3, 20)
	require.NoError(t, err)
	theta := math.Log(1.15)
	xs := []float64{math.Log(1.21), math.Log(1.215), math.Log(1.205), math.Log(1.21)}
	quiet := s.Start(theta)
	busy := s.Start(theta)
	for _, x := range xs {
		quiet.Add(x, 0, 0)
		busy.Add(x, 0.12, 0.02) // the numerator's runs may have been slowed by 12%
	}
	assert.Equal(t, Decided, quiet.State().Stop)
	st := busy.State()
	assert.Equal(t, Undecided, st.Decision, "%+v", st)
	assert.InDelta(t, 0.12, st.Slack, 1e-9)
	assert.Less(t, st.Interval.Lo, theta)
}

// Runs that drift apart give intervals that do not overlap: no verdict.
func TestDriftGivesNoVerdict(t *testing.T) {
	s, err := NewStopper(DefaultRule, 3, 40)
	require.NoError(t, err)
	q := s.Start(-10)
	for range 4 {
		q.Add(1, 0, 0)
		q.Add(1.001, 0, 0)
	}
	for range 20 {
		q.Add(5, 0, 0)
		q.Add(5.001, 0, 0)
	}
	st := q.State()
	assert.Equal(t, Contradict, st.Stop)
	assert.Equal(t, Undecided, st.Decision)
	assert.True(t, st.Interval.Empty())
}

func TestNeeded(t *testing.T) {
	s, err := NewStopper(DefaultRule, 3, 20)
	require.NoError(t, err)
	q := s.Start(0)
	for _, x := range []float64{0.1, 0.3, 0.2, 0.15, 0.25} {
		q.Add(x, 0, 0)
	}
	n := q.Needed()
	assert.GreaterOrEqual(t, n, 5)
	assert.LessOrEqual(t, n, 8)
	at := s.Start(0)
	for _, x := range []float64{0.1, -0.1, 0.1, -0.1} {
		at.Add(x, 0, 0)
	}
	assert.Zero(t, at.Needed(), "a mean on the threshold is never decided")
}
