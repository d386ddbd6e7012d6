package results

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
)

func seq(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i + 1)
	}
	return out
}

func TestQuantile(t *testing.T) {
	cases := []struct {
		name   string
		n      int
		q      float64
		want   float64
		lo, hi float64 // 0: no interval
	}{
		{"median of 6: the interval is min … max, as benchmath's", 6, 0.5, 3, 1, 6},
		{"median of 100", 100, 0.5, 50, 40, 61},
		{"p90 of 100", 100, 0.9, 90, 84, 96},
		{"p99 of 100: too few samples for an upper bound", 100, 0.99, 99, 0, 0},
		{"p99 of 1000", 1000, 0.99, 990, 983, 997},
		{"one sample", 1, 0.5, 1, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x, ci := Quantile(seq(tc.n), tc.q)
			assert.Equal(t, tc.want, x)
			if tc.lo == 0 {
				assert.Nil(t, ci)
				return
			}
			require.NotNil(t, ci)
			assert.Equal(t, tc.lo, ci.Lo)
			assert.Equal(t, tc.hi, ci.Hi)
			assert.GreaterOrEqual(t, ci.Confidence, Confidence)
			assert.Less(t, ci.Confidence, 1.0)
		})
	}
	x, ci := Quantile(nil, 0.5)
	assert.Zero(t, x)
	assert.Nil(t, ci)
}

// The interval covers the true quantile about as often as it says: draw
// many samples from a known distribution (uniform on [0, 1): the
// q-quantile is q) and count.
func TestQuantileIntervalCoverage(t *testing.T) {
	rnd := newLCG(7)
	for _, q := range []float64{0.5, 0.9, 0.99} {
		covered, trials := 0, 400
		for range trials {
			xs := make([]float64, 600)
			for i := range xs {
				xs[i] = rnd.float()
			}
			s := slices.Clone(xs)
			slices.Sort(s)
			_, ci := Quantile(s, q)
			require.NotNil(t, ci)
			if ci.Contains(q) {
				covered++
			}
		}
		assert.GreaterOrEqual(t, float64(covered)/float64(trials), 0.92, "q=%v", q)
	}
}

// lcg is a tiny deterministic generator, so the coverage test never flakes.
type lcg struct{ s uint64 }

func newLCG(seed uint64) *lcg { return &lcg{seed} }
func (g *lcg) float() float64 {
	g.s = g.s*6364136223846793005 + 1442695040888963407
	return float64(g.s>>11) / (1 << 53)
}

func TestHistogram(t *testing.T) {
	// 4 bins per decade: [1ms, 1.78ms), [1.78ms, 3.16ms), [3.16ms, 5.62ms), [5.62ms, 10ms), [10ms, ...
	bins := Histogram([]float64{0.0011, 0.0012, 0.002, 0.005, 0.011})
	require.Len(t, bins, 5)
	assert.InDelta(t, 0.001, bins[0].LoS, 1e-12)
	assert.InDelta(t, 0.01, bins[4].LoS, 1e-12)
	var counts []int
	for _, b := range bins {
		counts = append(counts, b.Count)
		assert.InDelta(t, math.Pow(10, 0.25), b.HiS/b.LoS, 1e-9)
	}
	assert.Equal(t, []int{2, 1, 1, 0, 1}, counts)
	assert.Nil(t, Histogram(nil))
	assert.Equal(t, 1, Histogram([]float64{0})[0].Count, "a zero latency lands in the lowest bin")
}

func TestSummarizeLatencies(t *testing.T) {
	xs := []float64{0.003, 0.001, 0.002, 0.010}
	l := SummarizeLatencies(xs)
	require.NotNil(t, l)
	assert.Equal(t, 4, l.N)
	assert.Equal(t, 0.002, l.P50S)
	assert.Equal(t, 0.010, l.P99S)
	assert.Equal(t, 0.010, l.MaxS)
	assert.InDelta(t, 0.004, l.MeanS, 1e-12)
	assert.Equal(t, []float64{0.003, 0.001, 0.002, 0.010}, xs, "the input is not reordered")
	assert.Nil(t, SummarizeLatencies(nil))
}

func probeResult(i Interpreter, c Cell, samples []Sample, busy bool) Result {
	other := 0.0
	if busy {
		other = 1.0
	}
	for k := range samples {
		samples[k].Load = &machine.Activity{WallS: samples[k].WallS, OtherCPUS: other * samples[k].WallS, ResolutionS: 0.01}
	}
	return NewResult(i, machine.Machine{Cores: 2}, c, Params{ProbeIODelayS: 0.0001}, samples, DefaultBusyCores)
}

func ioSamples(rate float64) []Sample {
	var out []Sample
	for k := range 6 {
		out = append(out, Sample{WallS: 0.5, RoundTrips: int(rate/2) + k})
	}
	return out
}

func TestProbeResultsAndTheirView(t *testing.T) {
	lat := Cell{Workload: ProbeLatency, Prober: ProbeGoroutine, CPUThreads: 2, SwitchIntervalS: 0.005}
	idle := Cell{Workload: ProbeIO, Prober: ProbeThread, CPUThreads: 0, SwitchIntervalS: 0.005}
	loaded := idle
	loaded.CPUThreads = 1
	rs := []Result{
		probeResult(py312, lat, []Sample{{WallS: 0.1, LatenciesS: []float64{0.005, 0.006}}, {WallS: 0.1, LatenciesS: []float64{0.007}}}, false),
		probeResult(py312, idle, ioSamples(4000), true),
		probeResult(py312, loaded, ioSamples(200), false),
		Skip(py312, machine.Machine{}, Cell{Workload: ProbeLatency, Prober: ProbeThread, CPUThreads: 1, SwitchIntervalS: 0.005}, Params{}, "no"),
	}
	AddRatios(rs)
	assert.Equal(t, []float64{0.005, 0.006, 0.007}, rs[0].RawLatenciesS)
	assert.Equal(t, []int{2, 1}, rs[0].RawLatencyRuns)
	assert.Equal(t, 0.006, rs[0].Latency.P50S)
	assert.Nil(t, rs[0].Speedup, "probes have no speedup")
	require.NotNil(t, rs[2].OfIdle)
	assert.InDelta(t, 0.05, rs[2].OfIdle.Value, 0.002)
	assert.True(t, rs[2].BaselineBusy, "the idle run it divides by was busy")

	var buf bytes.Buffer
	require.NoError(t, WriteProbeJSON(&buf, rs))
	var got map[string][]map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	require.Len(t, got["latency"], 2)
	require.Len(t, got["io"], 2)
	row := got["latency"][0]
	for key, want := range map[string]any{"cpu_threads": 2.0, "switch_interval_s": 0.005, "probe": "goroutine", "p50_s": 0.006, "p90_s": 0.007, "p99_s": 0.007, "max_s": 0.007, "samples": 3.0, "busy": false} {
		assert.Equal(t, want, row[key], key)
	}
	assert.Contains(t, row, "interpreter")
	assert.Contains(t, row, "histogram")
	assert.Equal(t, "no", got["latency"][1]["skipped"])
	assert.NotContains(t, got["latency"][1], "p50_s", "a skipped cell has no figures")
	io := got["io"][1]
	assert.InDelta(t, 5.0, io["percent_of_idle"], 0.2)
	assert.Equal(t, true, io["idle_baseline_busy"])
	assert.Contains(t, io, "roundtrips_per_s")
}

func TestProbesAreSavedBesideResults(t *testing.T) {
	rs := []Result{
		NewResult(py312, machine.Machine{}, Cell{Workload: "countdown", Mode: "serial", Workers: 1}, Params{}, samples(1, 1, 1), DefaultBusyCores),
		probeResult(py312, Cell{Workload: ProbeIO, Prober: ProbeThread, CPUThreads: 0, SwitchIntervalS: 0.005}, ioSamples(100), false),
	}
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, rs))
	var rep Report
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rep))
	assert.Len(t, rep.Results, 1)
	assert.Len(t, rep.Probes, 1)
	assert.Equal(t, 0.005, rep.Probes[0].SwitchIntervalS)
}

func TestProbeCellsReadWell(t *testing.T) {
	assert.Equal(t, "probe-latency goroutine, 2 CPU threads, switch 5ms", Cell{Workload: ProbeLatency, Prober: ProbeGoroutine, CPUThreads: 2, SwitchIntervalS: 0.005}.String())
	assert.Equal(t, "probe-io thread, 1 CPU thread, switch 500µs", Cell{Workload: ProbeIO, Prober: ProbeThread, CPUThreads: 1, SwitchIntervalS: 0.0005}.String())
	assert.Equal(t, "countdown threads x2", Cell{Workload: "countdown", Mode: "threads", Workers: 2}.String())
	for s, want := range map[float64]string{0.005123: "5.12ms", 0.0000834: "83.4µs", 1.23456: "1.23s", 0: "0s"} {
		assert.Equal(t, want, Seconds(s))
	}
}

func TestWaiting(t *testing.T) {
	assert.InDelta(t, 0.5, WorkerStat{WallS: 1, CPUS: 0.5}.Waiting(), 1e-12)
	assert.InDelta(t, 0.6, WorkerStat{WallS: 1, CPUS: 0.5, AttachWaitS: 0.25}.Waiting(), 1e-12, "the attach wait counts as waiting")
	assert.Zero(t, WorkerStat{WallS: 1, CPUS: 1.2}.Waiting(), "never below 0 (CPU clocks are coarser than wall clocks)")
	assert.Zero(t, WorkerStat{}.Waiting())
}
