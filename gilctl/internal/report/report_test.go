package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/stats"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is a small, fixed set of results covering a GIL build, a
// free-threaded one, a speedup, and a skipped cell.
func fixture() []bench.Result {
	m := machine.Machine{Cores: 2, GOMAXPROCS: 2, GOOS: "linux", GOARCH: "amd64", GoVersion: "go1.test", Hostname: "test"}
	p312 := bench.Interpreter{Name: "3.12", Version: "3.12.1", GILEnabled: true, SwitchInterval: 0.005}
	p313t := bench.Interpreter{Name: "3.13t", Version: "3.13.15", FreeThreaded: true, SwitchInterval: 0.005}
	params := bench.Params{Count: 1000, IOOps: 2, SleepS: 0.01, MiB: 1, NumpyN: 8, NumpyReps: 1}
	cell := func(i bench.Interpreter, mode string, workers int, walls, cpus []float64) bench.Result {
		w, c := stats.Summarize(walls), stats.Summarize(cpus)
		return bench.Result{Interpreter: i, Machine: m, Workload: "countdown", Mode: mode, Workers: workers, Params: params,
			Runs: len(walls), WallS: &w, CPUS: &c, CPUUtilization: c.Median / w.Median,
			PerWorker: []bench.WorkerStat{{WallS: w.Median, CPUS: c.Median / float64(workers)}}, RawWallS: walls, RawCPUS: cpus}
	}
	results := []bench.Result{
		cell(p312, "serial", 2, []float64{1.0, 1.1, 0.9}, []float64{1.0, 1.1, 0.9}),
		cell(p312, "threads", 2, []float64{1.05, 1.1, 1.0}, []float64{1.05, 1.1, 1.0}),
		{Interpreter: p312, Machine: m, Workload: "countdown", Mode: "subinterpreters", Workers: 2, Params: params, Skipped: "subinterpreters need CPython 3.12 or newer"},
		cell(p313t, "serial", 2, []float64{2.0, 2.0, 2.2}, []float64{2.0, 2.0, 2.2}),
		cell(p313t, "threads", 2, []float64{1.0, 1.1, 1.05}, []float64{2.0, 2.1, 2.05}),
	}
	bench.AddSpeedups(results)
	return results
}

func TestFormatsMatchGoldenFiles(t *testing.T) {
	all := map[string]Format{"sidebyside": SideBySide}
	for name, f := range Formats {
		all[name] = f
	}
	for name, format := range all {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, format(&buf, fixture()))
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), buf.String())
		})
	}
}

func TestSpeedupsAgainstSerial(t *testing.T) {
	r := fixture()
	require.NotNil(t, r[1].Speedup)
	assert.InDelta(t, 1.0/1.05, r[1].Speedup.Value, 1e-9, "3.12 threads: serial mean 1.0 / 1.05")
	assert.InDelta(t, 2.0667/1.05, r[4].Speedup.Value, 1e-3, "3.13t threads against 3.13t serial, not 3.12's")
	assert.InDelta(t, r[4].Speedup.Value/2, r[4].Efficiency, 1e-12)
	assert.Nil(t, r[2].Speedup, "a skipped cell has no speedup")
}

func TestJSONCarriesIdentityAndSkips(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, JSON(&buf, fixture()))
	s := buf.String()
	for _, key := range []string{`"interpreter"`, `"free_threaded": true`, `"gil_enabled": false`, `"cores": 2`, `"gomaxprocs": 2`,
		`"wall_s"`, `"median"`, `"stddev"`, `"cpu_utilization"`, `"speedup"`, `"skipped": "subinterpreters need CPython 3.12 or newer"`} {
		assert.Contains(t, s, key)
	}
}

func TestWriteSite(t *testing.T) {
	dir := t.TempDir()
	verdicts := &check.Report{Claims: []check.Claim{{ID: "cpu-threads-no-speedup", Claim: "two threads", Overall: "holds only on 3.12",
		Verdicts: map[string]check.Verdict{"3.12": {Verdict: check.Holds, Evidence: "0.95x"}, "3.13t": {Verdict: check.DoesNotHold, Evidence: "1.97x"}}}}}
	path, err := WriteSite(dir, fixture(), verdicts)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "report.html"), path)
	page, err := os.ReadFile(path)
	require.NoError(t, err)
	html := string(page)
	assert.Contains(t, html, "<svg", "charts are inline: the page is self-contained")
	assert.NotContains(t, html, "<script", "no scripts needed")
	assert.NotContains(t, html, "http://cdn", "nothing fetched")
	assert.Contains(t, html, `class="does-not-hold"`)
	assert.Contains(t, html, "countdown threads x2")
	for _, f := range []string{"speedup-countdown.svg", "speedup-countdown.png", "cpu-countdown.svg", "cpu-countdown.png", "verdicts.svg", "verdicts.png", "results.json"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	var rep bench.Report
	require.NoError(t, json.Unmarshal(raw, &rep))
	assert.Len(t, rep.Results, len(fixture()))
}

func TestSpeedupChartLeavesOutSerialAndSkipped(t *testing.T) {
	c := SpeedupChart(fixture(), "countdown")
	var labels []string
	for _, s := range c.Series {
		labels = append(labels, s.Label)
	}
	assert.Equal(t, []string{"3.12 threads", "3.13t threads"}, labels)
	assert.NotEqual(t, c.Series[0].Style, c.Series[1].Style, "interpreters differ by line style")
	assert.Equal(t, c.Series[0].Color, c.Series[1].Color, "the same mode has the same colour")
}
