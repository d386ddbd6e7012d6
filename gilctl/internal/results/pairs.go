package results

import (
	"slices"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
)

// Quantity is what a ratio divides: a run's wall time, or the I/O probe's
// round trips per second.
type Quantity string

// Quantities.
const (
	WallTime   Quantity = "wall_s"
	RoundTrips Quantity = "roundtrips_per_s"
)

// Values returns r's per-run values of q, in run order.
func (r Result) Values(q Quantity) []float64 {
	if q == RoundTrips {
		return r.RawRoundTripsPerS
	}
	return r.RawWallS
}

// Pair is one counted run of each of two results from the same round (the
// same position in the runs when the results record no rounds).
type Pair struct {
	Round    int
	Num, Den float64
	// NumLoad and DenLoad are what the rest of the machine did during the
	// two runs (zero WallS: not measured).
	NumLoad, DenLoad machine.Activity
}

// Pairs matches the runs of num and den of quantity q by round, in round
// order. Results without rounds in common (saved by older versions, or
// measured at different times) are paired by position, which still pairs
// independent runs fairly but no longer cancels drift.
func Pairs(num, den Result, q Quantity) []Pair {
	a, b := num.Values(q), den.Values(q)
	load := func(r Result, i int) machine.Activity {
		if i < len(r.RawLoad) {
			return r.RawLoad[i]
		}
		return r.runLoad(i)
	}
	var out []Pair
	if len(num.RawRounds) == len(a) && len(den.RawRounds) == len(b) {
		at := map[int]int{}
		for j, r := range den.RawRounds {
			at[r] = j
		}
		for i, r := range num.RawRounds {
			if j, ok := at[r]; ok {
				out = append(out, Pair{Round: r, Num: a[i], Den: b[j], NumLoad: load(num, i), DenLoad: load(den, j)})
			}
		}
		slices.SortFunc(out, func(x, y Pair) int { return x.Round - y.Round })
	}
	if len(out) > 0 {
		return out
	}
	// No rounds in common (or none recorded): measured at different
	// times, so paired by position.
	for i := range min(len(a), len(b)) {
		out = append(out, Pair{Round: i + 1, Num: a[i], Den: b[i], NumLoad: load(num, i), DenLoad: load(den, i)})
	}
	return out
}

// runLoad stands in for run i's load when only the cell's summary was
// saved (results of older versions): the cell's mean load, spread evenly.
func (r Result) runLoad(i int) machine.Activity {
	if r.OtherLoad == nil || i >= len(r.RawWallS) {
		return machine.Activity{}
	}
	w := r.RawWallS[i]
	return machine.Activity{WallS: w, OwnCPUS: r.CPUUtilization * w, OtherCPUS: r.OtherLoad.OtherCores * w,
		StealS: r.OtherLoad.StealCores * w, ResolutionS: r.OtherLoad.ResolutionCores * w}
}
