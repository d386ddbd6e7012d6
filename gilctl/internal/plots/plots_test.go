package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

func fixture() []results.Result {
	var rs []results.Result
	for _, i := range []results.Interpreter{{Name: "3.12", Version: "3.12.1", GILEnabled: true}, {Name: "3.13t", Version: "3.13.15", FreeThreaded: true}} {
		for _, mode := range []results.Mode{"serial", "threads", "processes"} {
			for _, n := range []int{1, 2, 4} {
				wall := 1.0
				if mode != "serial" && (i.FreeThreaded || mode == "processes") {
					wall = 1.0 / float64(min(n, 2))
				}
				var samples []results.Sample
				for k := range 6 {
					w := wall * (1 + 0.02*float64(k-3))
					samples = append(samples, results.Sample{WallS: w, CPUS: w * float64(min(n, 2))})
				}
				rs = append(rs, results.NewResult(i, machine.Machine{Cores: 2}, results.Cell{Workload: "countdown", Mode: mode, Workers: n}, results.Params{}, samples, 0.25))
			}
		}
	}
	results.AddSpeedups(rs)
	return rs
}

func TestSpeedupSmallMultiples(t *testing.T) {
	f, ok, err := SmallMultiples(fixture(), "countdown", SpeedupValue, Options{Name: "speedup-countdown", Title: "countdown: speedup",
		YLabel: "speedup", Panels: []string{"serial", "threads", "goroutines", "processes"}, Ideal: true, Cores: 2})
	require.NoError(t, err)
	require.True(t, ok)
	require.Len(t, f.Panels, 1, "two panels (threads, processes; serial is the baseline, goroutines has no data) in one row")
	assert.Len(t, f.Panels[0], 2)
	assert.Equal(t, "threads", f.Panels[0][0].Title.Text)

	svg, err := f.SVG()
	require.NoError(t, err)
	s := string(svg)
	assert.Contains(t, s, "<svg")
	for _, label := range []string{"countdown: speedup", "threads", "processes", "3.12", "3.13t", "perfect scaling of CPU work (2 cores)", "workers"} {
		assert.Contains(t, s, label)
	}
	img := decode(t, f)
	assert.Equal(t, 960, img.Bounds().Dx(), "10 inches at 96 dpi")
}

func TestNothingToDraw(t *testing.T) {
	_, ok, err := SmallMultiples(fixture(), "io-sleep", SpeedupValue, Options{Panels: []string{"threads"}})
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = Figure{Name: "empty"}.PNG()
	assert.ErrorContains(t, err, "empty: nothing to draw")
}

func TestCPUValueHasAnInterval(t *testing.T) {
	r := fixture()[4] // 3.12 threads x2
	y, lo, hi, ok := CPUValue(r)
	require.True(t, ok)
	assert.InDelta(t, r.CPUUtilization, y, 1e-9)
	assert.LessOrEqual(t, lo, y)
	assert.GreaterOrEqual(t, hi, y)
}

func TestGrid(t *testing.T) {
	g := Grid{Rows: []string{"cpu-threads-no-speedup", "refcount-4-5"}, Columns: []string{"3.12", "3.13t"},
		Cells:  [][]string{{"holds", "does not hold"}, {"inconclusive", "n/a"}},
		Colors: [][]color.Color{{Green, Red}, {Amber, Grey}}}
	f := g.Figure("verdicts", "claims")
	svg, err := f.SVG()
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(svg), ">does not hold<"))
	decode(t, f)
}

func decode(t *testing.T, f Figure) image.Image {
	data, err := f.PNG()
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	return img
}

func TestSecondsTicks(t *testing.T) {
	ticks := secondsTicks{plot.LogTicks{Prec: -1}}.Ticks(1e-6, 200)
	var labels []string
	for _, tk := range ticks {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.Equal(t, []string{"1µs", "10µs", "100µs", "1ms", "10ms", "100ms", "1s", "10s", "100s", "1000s"}, labels)
}
