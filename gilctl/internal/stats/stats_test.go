package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSummarize(t *testing.T) {
	cases := []struct {
		name string
		in   []float64
		want Summary
	}{
		{"empty", nil, Summary{}},
		{"one", []float64{2}, Summary{N: 1, Median: 2, Mean: 2, Min: 2, Max: 2}},
		{"odd count, unsorted", []float64{3, 1, 2}, Summary{N: 3, Median: 2, Mean: 2, StdDev: 1, Min: 1, Max: 3}},
		{"even count takes the middle pair", []float64{4, 1, 3, 2}, Summary{N: 4, Median: 2.5, Mean: 2.5, StdDev: math.Sqrt(5.0 / 3), Min: 1, Max: 4}},
		{"outlier moves the mean, not the median", []float64{1, 1, 1, 1, 11}, Summary{N: 5, Median: 1, Mean: 3, StdDev: math.Sqrt(80.0 / 4), Min: 1, Max: 11}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.in)
			assert.Equal(t, tc.want.N, got.N)
			assert.InDelta(t, tc.want.Median, got.Median, 1e-12)
			assert.InDelta(t, tc.want.Mean, got.Mean, 1e-12)
			assert.InDelta(t, tc.want.StdDev, got.StdDev, 1e-12)
			assert.Equal(t, tc.want.Min, got.Min)
			assert.Equal(t, tc.want.Max, got.Max)
		})
	}
}

func TestSummarizeDoesNotReorderInput(t *testing.T) {
	in := []float64{3, 1, 2}
	Summarize(in)
	assert.Equal(t, []float64{3, 1, 2}, in)
}

func TestRatioOf(t *testing.T) {
	a := Summary{Mean: 2, StdDev: 0.2} // 10%
	b := Summary{Mean: 1, StdDev: 0}
	r := RatioOf(a, b)
	assert.InDelta(t, 2, r.Value, 1e-12)
	assert.InDelta(t, 0.2, r.Err, 1e-12)

	c := Summary{Mean: 1, StdDev: 0.1} // 10% too: errors add in quadrature
	r = RatioOf(a, c)
	assert.InDelta(t, 2*math.Sqrt(0.02), r.Err, 1e-12)

	assert.Equal(t, Ratio{}, RatioOf(a, Summary{}), "no division by zero")
}
