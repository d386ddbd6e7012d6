// Package stats summarizes repeated measurements the way hyperfine and
// benchstat do: median, mean ± standard deviation, min … max, and ratios
// with propagated uncertainty.
package stats

import (
	"math"
	"slices"
)

// Summary describes a sample of measurements (seconds, usually).
type Summary struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"stddev"` // sample standard deviation (n-1)
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Summarize computes a Summary; an empty sample gives the zero Summary.
func Summarize(xs []float64) Summary {
	n := len(xs)
	if n == 0 {
		return Summary{}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	var sum float64
	for _, x := range sorted {
		sum += x
	}
	mean := sum / float64(n)
	var sq float64
	for _, x := range sorted {
		sq += (x - mean) * (x - mean)
	}
	sd := 0.0
	if n > 1 {
		sd = math.Sqrt(sq / float64(n-1))
	}
	median := sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return Summary{N: n, Median: median, Mean: mean, StdDev: sd, Min: sorted[0], Max: sorted[n-1]}
}

// Ratio is a/b with its uncertainty, propagated from the two samples'
// relative standard deviations (as hyperfine does for "A ran X ± e times
// faster than B").
type Ratio struct {
	Value float64 `json:"value"`
	Err   float64 `json:"err"`
}

// RatioOf returns mean(a)/mean(b) with propagated error; zero when b's mean
// is zero.
func RatioOf(a, b Summary) Ratio {
	if b.Mean == 0 || a.Mean == 0 {
		return Ratio{}
	}
	v := a.Mean / b.Mean
	rel := math.Hypot(a.StdDev/a.Mean, b.StdDev/b.Mean)
	return Ratio{Value: v, Err: v * rel}
}
