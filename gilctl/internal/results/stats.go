package results

import (
	"math"
	"slices"

	"github.com/aclements/go-moremath/stats"
	"golang.org/x/perf/benchmath"
)

// Confidence is the level of every confidence interval gilctl reports, as
// benchstat's default.
const Confidence = 0.95

// Interval is a confidence interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// Confidence is the interval's actual level (>= the one asked for: with
	// few runs the order statistics give a little more).
	Confidence float64 `json:"confidence"`
}

// Contains reports whether x lies inside the interval (bounds included).
func (iv Interval) Contains(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

// Summary describes repeated measurements (seconds, usually): median with
// its confidence interval (benchmath's distribution-free one: benchmark
// times are not normal), mean ± standard deviation, min … max.
type Summary struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"stddev"` // sample standard deviation (n-1)
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	// CI is the confidence interval of the median; nil when there are too
	// few runs for one (Warning says how many are needed).
	CI      *Interval `json:"ci,omitempty"`
	Warning string    `json:"warning,omitempty"`
}

// Summarize computes a Summary; an empty sample gives the zero Summary.
// The input is not reordered.
func Summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	sorted := slices.Clone(xs)
	s := benchmath.NewSample(sorted, &benchmath.DefaultThresholds) // sorts
	sum := benchmath.AssumeNothing.Summary(s, Confidence)
	out := Summary{
		N:      len(xs),
		Median: sum.Center,
		Mean:   stats.Mean(sorted),
		Min:    sorted[0],
		Max:    sorted[len(sorted)-1],
	}
	if len(xs) > 1 {
		out.StdDev = stats.StdDev(sorted)
	}
	if math.IsInf(sum.Lo, 0) || math.IsInf(sum.Hi, 0) {
		for _, w := range sum.Warnings {
			out.Warning = w.Error()
		}
	} else {
		out.CI = &Interval{Lo: sum.Lo, Hi: sum.Hi, Confidence: sum.Confidence}
	}
	return out
}

// Ratio is a/b of two medians (a speedup, or "ran N times faster"), with an
// interval built from the two medians' confidence intervals: the lowest
// ratio they allow (a.Lo / b.Hi) to the highest (a.Hi / b.Lo). Both
// intervals hold at the stated level, so the ratio's interval holds at
// least at 1 - 2(1 - level); it is wide on purpose.
type Ratio struct {
	Value   float64   `json:"value"`
	CI      *Interval `json:"ci,omitempty"`
	Warning string    `json:"warning,omitempty"`
}

// RatioOf returns median(a) / median(b); zero when either median is zero.
func RatioOf(a, b Summary) Ratio {
	if a.Median == 0 || b.Median == 0 {
		return Ratio{}
	}
	r := Ratio{Value: a.Median / b.Median}
	switch {
	case a.CI == nil:
		r.Warning = a.Warning
	case b.CI == nil:
		r.Warning = b.Warning
	case b.CI.Lo <= 0:
		r.Warning = "the interval reaches zero"
	default:
		r.CI = &Interval{
			Lo:         a.CI.Lo / b.CI.Hi,
			Hi:         a.CI.Hi / b.CI.Lo,
			Confidence: 1 - (1 - a.CI.Confidence) - (1 - b.CI.Confidence),
		}
	}
	return r
}
