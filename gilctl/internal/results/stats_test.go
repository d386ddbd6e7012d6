package results

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	cases := []struct {
		name    string
		in      []float64
		want    Summary
		ci      *Interval
		warning string
	}{
		{"empty", nil, Summary{}, nil, ""},
		{"one", []float64{2}, Summary{N: 1, Median: 2, Mean: 2, Min: 2, Max: 2}, nil, "need >= 6 samples"},
		{"odd count, unsorted", []float64{3, 1, 2}, Summary{N: 3, Median: 2, Mean: 2, StdDev: 1, Min: 1, Max: 3}, nil, "need >= 6 samples"},
		{"outlier moves the mean, not the median", []float64{1, 1, 1, 1, 11}, Summary{N: 5, Median: 1, Mean: 3, StdDev: math.Sqrt(80.0 / 4), Min: 1, Max: 11}, nil, "need >= 6"},
		{"six runs: the interval is min … max", []float64{6, 1, 5, 2, 4, 3}, Summary{N: 6, Median: 3.5, Mean: 3.5, StdDev: math.Sqrt(17.5 / 5), Min: 1, Max: 6},
			&Interval{Lo: 1, Hi: 6, Confidence: 1 - 2.0/64}, ""},
		{"ten runs: the interval narrows", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Summary{N: 10, Median: 5.5, Mean: 5.5, StdDev: math.Sqrt(110.0 / 12), Min: 1, Max: 10},
			&Interval{Lo: 2, Hi: 9}, ""},
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
			if tc.ci == nil {
				assert.Nil(t, got.CI)
				assert.Contains(t, got.Warning, tc.warning)
				return
			}
			require.NotNil(t, got.CI)
			assert.Equal(t, tc.ci.Lo, got.CI.Lo)
			assert.Equal(t, tc.ci.Hi, got.CI.Hi)
			assert.GreaterOrEqual(t, got.CI.Confidence, Confidence)
			if tc.ci.Confidence > 0 {
				assert.InDelta(t, tc.ci.Confidence, got.CI.Confidence, 1e-9)
			}
		})
	}
}

func TestSummarizeDoesNotReorderInput(t *testing.T) {
	in := []float64{3, 1, 2}
	Summarize(in)
	assert.Equal(t, []float64{3, 1, 2}, in)
}

func TestRatioOf(t *testing.T) {
	serial := Summarize([]float64{2.0, 2.1, 1.9, 2.0, 2.05, 1.95})
	par := Summarize([]float64{1.0, 1.05, 0.95, 1.0, 1.02, 0.98})
	r := RatioOf(serial, par)
	assert.InDelta(t, 2.0, r.Value, 1e-9, "ratio of medians")
	require.NotNil(t, r.CI)
	assert.InDelta(t, 1.9/1.05, r.CI.Lo, 1e-9, "lowest: serial's low end over the other's high end")
	assert.InDelta(t, 2.1/0.95, r.CI.Hi, 1e-9)
	assert.InDelta(t, 1-2*(2.0/64), r.CI.Confidence, 1e-9, "two 96.9% intervals give at least 93.75%")

	few := RatioOf(Summarize([]float64{2, 2.1}), par)
	assert.Nil(t, few.CI, "no interval from too few runs")
	assert.Contains(t, few.Warning, "need >= 6 samples")
	assert.Equal(t, Ratio{}, RatioOf(serial, Summary{}), "no division by zero")
}

func TestVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"3.9.18", "3.10.0", -1}, // the string comparison gets this one wrong
		{"3.13.15", "3.13.0", 1},
		{"3.13.0", "3.13", 0},
		{"3.14.0rc1", "3.14.0", 0},
		{"3.12.1", "3.12.1", 0},
	}
	for _, tc := range cases {
		t.Run(tc.a+" vs "+tc.b, func(t *testing.T) {
			a, err := ParseVersion(tc.a)
			require.NoError(t, err)
			b, err := ParseVersion(tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.want, a.Compare(b))
			assert.Equal(t, -tc.want, b.Compare(a))
		})
	}
	_, err := ParseVersion("three")
	assert.ErrorContains(t, err, "not a number")
	v, _ := ParseVersion("3.12")
	assert.True(t, v.AtLeast(Version{3, 12, 0}))
	assert.False(t, v.AtLeast(Version{3, 13, 0}))
}
