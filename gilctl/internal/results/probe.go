package results

import (
	"math"
	"slices"
)

// Prober is who probes in a GIL probe's cell: how long code waits to run
// Python while CPU-bound Python threads run, and how many I/O round trips
// a Python thread makes meanwhile (see ProbeLatency and ProbeIO).
type Prober string

// The probers.
const (
	// ProbeGoroutine is a goroutine attaching through embed.
	ProbeGoroutine Prober = "goroutine"
	// ProbeThread is a Python thread.
	ProbeThread Prober = "thread"
)

// String is the prober's name.
func (p Prober) String() string { return string(p) }

// probers are the probers in report order.
var probers = []Prober{ProbeGoroutine, ProbeThread}

// Probers lists the probers in report order.
func Probers() []Prober { return slices.Clone(probers) }

// rank is p's place in report order.
func (p Prober) rank() int {
	if i := slices.Index(probers, p); i >= 0 {
		return i
	}
	return len(probers)
}

// DefaultSwitchIntervalS is CPython's default sys.getswitchinterval(): the
// interval the probes' CPU-thread series runs at.
const DefaultSwitchIntervalS = 0.005

// Latency is the distribution of a probe's latencies, pooled over the
// counted runs of a cell: percentiles with their distribution-free
// confidence intervals, and a histogram.
type Latency struct {
	N     int     `json:"n"`
	P50S  float64 `json:"p50_s"`
	P90S  float64 `json:"p90_s"`
	P99S  float64 `json:"p99_s"`
	MaxS  float64 `json:"max_s"`
	MeanS float64 `json:"mean_s"`
	// P50CI, P90CI and P99CI are confidence intervals of the percentiles
	// (from order statistics); nil when there are too few samples for
	// one (P99 needs a few hundred).
	P50CI *Interval `json:"p50_ci,omitempty"`
	P90CI *Interval `json:"p90_ci,omitempty"`
	P99CI *Interval `json:"p99_ci,omitempty"`
	// Histogram counts the samples in logarithmic bins, four per decade.
	Histogram []Bin `json:"histogram"`
}

// Bin is one histogram bin: Count samples in [LoS, HiS).
type Bin struct {
	LoS   float64 `json:"lo_s"`
	HiS   float64 `json:"hi_s"`
	Count int     `json:"count"`
}

// SummarizeLatencies describes latencies (seconds); nil when there are
// none. The input is not reordered.
func SummarizeLatencies(xs []float64) *Latency {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	l := &Latency{N: len(s), MaxS: s[len(s)-1], MeanS: sum / float64(len(s)), Histogram: Histogram(s)}
	l.P50S, l.P50CI = Quantile(s, 0.50)
	l.P90S, l.P90CI = Quantile(s, 0.90)
	l.P99S, l.P99CI = Quantile(s, 0.99)
	return l
}

// Quantile returns the q-quantile of sorted (the order statistic of rank
// ceil(q·n), "nearest rank") and its Confidence interval: the order
// statistics whose ranks a Binomial(n, q) count of samples below the true
// quantile reaches with probability Confidence, split equally on both
// sides. Nil when n is too small for the interval to have both ends.
func Quantile(sorted []float64, q float64) (float64, *Interval) {
	n := len(sorted)
	if n == 0 {
		return 0, nil
	}
	rank := int(math.Ceil(q * float64(n)))
	rank = min(max(rank, 1), n)
	x := sorted[rank-1]
	alpha := (1 - Confidence) / 2
	// lo: the largest j with P(B < j) <= alpha; hi: the smallest k with
	// P(B >= k) <= alpha. [x(j), x(k)] covers the quantile with
	// probability P(j <= B < k) >= Confidence.
	cdf := binomialCDF(n, q) // cdf[i] = P(B <= i)
	j := 0
	for j < n && cdf[j] <= alpha { // P(B < j+1) <= alpha
		j++
	}
	k := n + 1
	for k > 1 && 1-cdf[k-2] <= alpha { // P(B >= k-1) <= alpha
		k--
	}
	if j < 1 || k > n {
		return x, nil
	}
	level := cdf[k-1] - cdf[j-1]
	return x, &Interval{Lo: sorted[j-1], Hi: sorted[k-1], Confidence: level}
}

// binomialCDF returns P(B <= i) for i = 0..n, B ~ Binomial(n, p).
func binomialCDF(n int, p float64) []float64 {
	out := make([]float64, n+1)
	lgN, _ := math.Lgamma(float64(n + 1))
	acc := 0.0
	for i := 0; i <= n; i++ {
		lgI, _ := math.Lgamma(float64(i + 1))
		lgNI, _ := math.Lgamma(float64(n - i + 1))
		logp := lgN - lgI - lgNI
		if i > 0 {
			logp += float64(i) * math.Log(p)
		}
		if n-i > 0 {
			logp += float64(n-i) * math.Log1p(-p)
		}
		acc += math.Exp(logp)
		out[i] = math.Min(acc, 1)
	}
	return out
}

// binsPerDecade is the histogram's resolution.
const binsPerDecade = 4

// Histogram counts sorted latencies (seconds) in logarithmic bins, four
// per decade (1 µs, 1.78 µs, 3.16 µs, 5.62 µs, 10 µs, ...), from the
// first non-empty bin to the last. Values at or below 0 count in the
// lowest bin.
func Histogram(sorted []float64) []Bin {
	if len(sorted) == 0 {
		return nil
	}
	index := func(x float64) int {
		if x <= 0 {
			return math.MinInt32
		}
		return int(math.Floor(math.Log10(x)*binsPerDecade + 1e-9))
	}
	first, last := index(max(sorted[0], 1e-9)), index(max(sorted[len(sorted)-1], 1e-9))
	bins := make([]Bin, last-first+1)
	for i := range bins {
		bins[i].LoS = math.Pow(10, float64(first+i)/binsPerDecade)
		bins[i].HiS = math.Pow(10, float64(first+i+1)/binsPerDecade)
	}
	for _, x := range sorted {
		i := index(max(x, 1e-9)) - first
		bins[min(max(i, 0), len(bins)-1)].Count++
	}
	return bins
}

// RoundTripRates are the I/O probe's round trips per second, one per run.
func RoundTripRates(samples []Sample) []float64 {
	var out []float64
	for _, s := range samples {
		if s.WallS > 0 {
			out = append(out, float64(s.RoundTrips)/s.WallS)
		}
	}
	return out
}

// AddIdleShares fills OfIdle of every measured I/O probe result: its
// round trips per second as a share of the same interpreter's with no
// CPU-bound thread (at the same switch interval).
func AddIdleShares(rs []Result) {
	ix := NewIndex(rs)
	for i := range rs {
		r := &rs[i]
		if r.Workload != ProbeIO || !r.Measured() || r.RoundTripsPerS == nil {
			continue
		}
		idle := r.Cell
		idle.CPUThreads = 0
		base, ok := ix.Get(r.Interpreter.Name, idle)
		if !ok || !base.Measured() || base.RoundTripsPerS == nil {
			continue
		}
		x := RatioOf(*r.RoundTripsPerS, *base.RoundTripsPerS)
		r.OfIdle = &x
		r.BaselineBusy = base.Busy()
	}
}
