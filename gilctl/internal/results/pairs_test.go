package results

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
)

func TestPairs(t *testing.T) {
	num := Result{RawWallS: []float64{1, 2, 3}, RawRounds: []int{2, 4, 6}}
	den := Result{RawWallS: []float64{10, 20, 30, 40}, RawRounds: []int{4, 5, 6, 2}}
	got := Pairs(num, den, WallTime)
	assert.Equal(t, []Pair{{Round: 2, Num: 1, Den: 40}, {Round: 4, Num: 2, Den: 10}, {Round: 6, Num: 3, Den: 30}}, got, "by round, in round order")

	apart := Result{RawWallS: []float64{7, 8}, RawRounds: []int{9, 10}}
	assert.Equal(t, []Pair{{Round: 1, Num: 1, Den: 7}, {Round: 2, Num: 2, Den: 8}}, Pairs(num, apart, WallTime), "no round in common: by position")

	old := Result{RawWallS: []float64{5}}
	assert.Equal(t, []Pair{{Round: 1, Num: 1, Den: 5}}, Pairs(num, old, WallTime), "no rounds recorded: by position")

	probe := Result{RawRoundTripsPerS: []float64{100, 200}, RawWallS: []float64{0.5, 0.5}}
	assert.Equal(t, []float64{100, 200}, probe.Values(RoundTrips))
}

// Results saved without per-run loads lend each run the cell's mean load.
func TestPairsOfOldResultsCarryTheCellsLoad(t *testing.T) {
	old := Result{RawWallS: []float64{2}, CPUUtilization: 1, OtherLoad: &Load{OtherCores: 0.9, StealCores: 0.1, ResolutionCores: 0.01}}
	p := Pairs(old, old, WallTime)
	assert.Equal(t, machine.Activity{WallS: 2, OwnCPUS: 2, OtherCPUS: 1.8, StealS: 0.2, ResolutionS: 0.02}, p[0].NumLoad)
}
