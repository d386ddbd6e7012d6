package results

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
)

var py312 = Interpreter{Name: "3.12", Version: "3.12.1", GILEnabled: true}

func samples(walls ...float64) []Sample {
	var out []Sample
	for _, w := range walls {
		out = append(out, Sample{WallS: w, CPUS: w, PerWorker: []WorkerStat{{WallS: w, CPUS: w}},
			Load: &machine.Activity{WallS: w, OtherCPUS: 0.01 * w, ResolutionS: 0.017}})
	}
	return out
}

func TestNewResultAndSpeedups(t *testing.T) {
	serial := NewResult(py312, machine.Machine{Cores: 2}, Cell{Workload: "countdown", Mode: "serial", Workers: 2}, Params{}, samples(2, 2.1, 1.9, 2, 2, 2), DefaultBusyCores)
	threads := NewResult(py312, machine.Machine{Cores: 2}, Cell{Workload: "countdown", Mode: "threads", Workers: 2}, Params{}, samples(1, 1.1, 0.9, 1, 1, 1), DefaultBusyCores)
	skipped := Skip(py312, machine.Machine{}, Cell{Workload: "countdown", Mode: "subinterpreters", Workers: 2}, Params{}, "no")
	rs := []Result{serial, threads, skipped}
	AddSpeedups(rs)
	require.NotNil(t, rs[1].Speedup)
	assert.InDelta(t, 2.0, rs[1].Speedup.Value, 1e-9)
	assert.InDelta(t, 1.0, rs[1].Efficiency, 1e-9)
	assert.Nil(t, rs[2].Speedup, "a skipped cell has no speedup")
	assert.False(t, rs[1].SpeedupBusy())
	rs[0].OtherLoad.Busy = true
	AddSpeedups(rs)
	assert.True(t, rs[1].BaselineBusy, "a busy serial run makes the speedup busy too")
	assert.True(t, rs[1].SpeedupBusy())
	assert.False(t, rs[1].Busy(), "the cell itself was quiet")
	assert.Equal(t, 6, rs[1].Runs)
	assert.Len(t, rs[1].RawWallS, 6)
	assert.InDelta(t, 1.0, rs[1].CPUUtilization, 1e-9)
	require.NotNil(t, rs[1].OtherLoad)
	assert.False(t, rs[1].Busy(), "1% of a core is not busy")
	assert.Equal(t, []string{"3.12"}, Names(rs))

	ix := NewIndex(rs)
	got, ok := ix.Get("3.12", Cell{Workload: "countdown", Mode: "threads", Workers: 2})
	require.True(t, ok)
	assert.Equal(t, rs[1].RawWallS, got.RawWallS)
	_, ok = ix.Get("3.13t", Cell{Workload: "countdown", Mode: "threads", Workers: 2})
	assert.False(t, ok)
}

func TestSummarizeLoad(t *testing.T) {
	cases := []struct {
		name      string
		samples   []Sample
		busy      bool
		wantCores float64
	}{
		{"not measured", []Sample{{WallS: 1}}, false, -1},
		{"a neighbour kept one core busy", []Sample{
			{Load: &machine.Activity{WallS: 1, OtherCPUS: 0.95, ResolutionS: 0.017}},
			{Load: &machine.Activity{WallS: 1, OtherCPUS: 1.01, ResolutionS: 0.017}},
		}, true, 0.98},
		{"quiet", []Sample{{Load: &machine.Activity{WallS: 2, OtherCPUS: 0.04, ResolutionS: 0.017}}}, false, 0.02},
		{"short: the ticks cannot tell", []Sample{{Load: &machine.Activity{WallS: 0.02, OtherCPUS: 0.01, ResolutionS: 0.017}}}, false, 0.5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := SummarizeLoad(tc.samples, DefaultBusyCores)
			if tc.wantCores < 0 {
				assert.Nil(t, l)
				return
			}
			require.NotNil(t, l)
			assert.InDelta(t, tc.wantCores, l.OtherCores, 1e-9)
			assert.Equal(t, tc.busy, l.Busy)
			assert.Contains(t, l.String(), "other processes used")
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := NewResult(py312, machine.Machine{Cores: 2, GOMAXPROCS: 2}, Cell{Workload: "countdown", Mode: "serial", Workers: 1}, Params{Count: 5}, samples(1, 1, 1, 1, 1, 1), DefaultBusyCores)
	r.Interpreter.Source = &Source{Version: "3.12.1", Tarball: "Python-3.12.1.tar.xz", SHA256: "abc", Origin: "python.org"}
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, []Result{r}))
	for _, key := range []string{`"results"`, `"interpreter"`, `"free_threaded"`, `"gil_enabled"`, `"workload": "countdown"`, `"mode": "serial"`,
		`"workers": 1`, `"wall_s"`, `"median"`, `"mean"`, `"stddev"`, `"min"`, `"max"`, `"cpu_s"`, `"cpu_utilization"`, `"other_load"`,
		`"source"`, `"sha256": "abc"`, `"cores": 2`} {
		assert.Contains(t, buf.String(), key)
	}
	path := filepath.Join(t.TempDir(), "r.json")
	require.NoError(t, WriteFile(path, []Result{r}))
	back, err := ReadFile(path)
	require.NoError(t, err)
	require.Len(t, back, 1)
	assert.Equal(t, r.Cell, back[0].Cell)
	assert.Equal(t, *r.Interpreter.Source, *back[0].Interpreter.Source)

	var empty bytes.Buffer
	require.NoError(t, WriteJSON(&empty, nil))
	var rep map[string]any
	require.NoError(t, json.Unmarshal(empty.Bytes(), &rep))
	assert.Equal(t, []any{}, rep["results"], `"results" is a list, never null`)

	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.json"))
	assert.ErrorContains(t, err, "reading results")
}
