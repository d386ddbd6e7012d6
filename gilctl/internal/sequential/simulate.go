package sequential

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Noise draws one standardized error (mean 0, standard deviation 1).
type Noise struct {
	Name string
	Draw func(*rand.Rand) float64
}

// Noises are the error distributions the simulations use: the normal the
// rule assumes, and two it does not.
var (
	// Normal is the model's noise.
	Normal = Noise{"normal", func(r *rand.Rand) float64 { return r.NormFloat64() }}
	// HeavyTails is Student's t with 3 degrees of freedom, scaled to
	// standard deviation 1: now and then a run far off.
	HeavyTails = Noise{"t3", func(r *rand.Rand) float64 {
		var chi float64
		for range 3 {
			z := r.NormFloat64()
			chi += z * z
		}
		return r.NormFloat64() / math.Sqrt(chi/3) / math.Sqrt(3)
	}}
	// Laplace is the difference of two exponentials: what pairing gives
	// when both runs of a pair suffer the same skewed noise.
	Laplace = Noise{"laplace", func(r *rand.Rand) float64 { return (r.ExpFloat64() - r.ExpFloat64()) / math.Sqrt2 }}
	// Outliers is normal noise where one pair in ten has a run slowed by
	// 2.5 times the usual spread (shifted so that the mean stays 0).
	Outliers = Noise{"outliers", func(r *rand.Rand) float64 {
		x := 0.6 * r.NormFloat64()
		if r.Float64() < 0.1 {
			x += 2.5
		}
		return x - 0.25
	}}
	// Skewed is an exponential shifted to mean 0: most pairs a little
	// low, a few far high, as when only one of the two cells ever gets
	// slowed. The rule assumes symmetric errors; this is its worst case.
	Skewed = Noise{"skewed", func(r *rand.Rand) float64 { return r.ExpFloat64() - 1 }}
)

// Symmetric are the noises the rule's promise covers: the normal, and
// symmetric or rarely disturbed ones near it.
var Symmetric = []Noise{Normal, HeavyTails, Laplace, Outliers}

// Scenario is a simulated cell: a stream whose true mean lies Effect
// standard deviations above the threshold (0: exactly at it, where every
// decision is a confident wrong verdict).
type Scenario struct {
	Effect float64
	Noise  Noise
	Cells  int
	Seed   uint64
}

// Outcome counts how simulated cells ended.
type Outcome struct {
	Scenario
	Above, Below, Open int
	// Stops counts the reasons the cells stopped.
	Stops map[Stop]int
	// MeanN is the mean number of observations a cell took.
	MeanN float64
}

// Decided is the share of cells that reached a verdict.
func (o Outcome) Decided() float64 { return float64(o.Above+o.Below) / float64(o.Cells) }

// Wrong is the share of cells that reached the wrong verdict: any verdict
// when the effect is 0, Below when it is positive, Above when negative.
func (o Outcome) Wrong() float64 {
	switch {
	case o.Effect > 0:
		return float64(o.Below) / float64(o.Cells)
	case o.Effect < 0:
		return float64(o.Above) / float64(o.Cells)
	}
	return o.Decided()
}

// String sums the outcome up in one line.
func (o Outcome) String() string {
	return fmt.Sprintf("effect %+.2f sd, %s noise, %d cells: %.2f%% decided (%.2f%% wrongly), %.1f observations on average, stops %v",
		o.Effect, o.Noise.Name, o.Cells, 100*o.Decided(), 100*o.Wrong(), o.MeanN, o.Stops)
}

// Simulate runs sc.Cells streams through the stopper, each observation
// drawn as threshold + Effect + noise, and counts how they ended. The same
// scenario gives the same outcome (the seed fixes the draws).
func (s *Stopper) Simulate(sc Scenario) Outcome {
	rng := newRand(sc.Seed)
	out := Outcome{Scenario: sc, Stops: map[Stop]int{}}
	total := 0
	for range sc.Cells {
		q := s.Start(0)
		var st State
		for {
			q.Add(sc.Effect+sc.Noise.Draw(rng), 0, 0)
			if st = q.State(); st.Stop != Going {
				break
			}
		}
		total += st.N
		out.Stops[st.Stop]++
		switch st.Decision {
		case Above:
			out.Above++
		case Below:
			out.Below++
		default:
			out.Open++
		}
	}
	out.MeanN = float64(total) / float64(sc.Cells)
	return out
}

// newRand is a deterministic generator for seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }
