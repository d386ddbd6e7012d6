package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Fixture is a small, fixed set of results covering a GIL build, a
// free-threaded one with a recorded source, speedups with intervals, a
// skipped cell and a cell measured on a busy machine.
func Fixture() []results.Result {
	m := machine.Machine{Cores: 2, GOMAXPROCS: 2, GOOS: "linux", GOARCH: "amd64", GoVersion: "go1.test", Hostname: "test"}
	p312 := results.Interpreter{Name: "3.12", Version: "3.12.1", GILEnabled: true, SwitchInterval: 0.005}
	p313t := results.Interpreter{Name: "3.13t", Version: "3.13.15", FreeThreaded: true, SwitchInterval: 0.005,
		Source: &results.Source{Version: "3.13.15", Tarball: "python3.13_3.13.15.orig.tar.xz", SHA256: "0123456789abcdef0123", Origin: "debian"}}
	params := results.Params{Count: 1000, IOOps: 2, SleepS: 0.01, MiB: 1, NumpyN: 8, NumpyReps: 1}
	cell := func(i results.Interpreter, mode results.Mode, workers int, walls, cpus []float64, other float64) results.Result {
		var samples []results.Sample
		for k, w := range walls {
			samples = append(samples, results.Sample{WallS: w, CPUS: cpus[k], PerWorker: []results.WorkerStat{{WallS: w, CPUS: cpus[k] / float64(workers)}},
				Load: &machine.Activity{WallS: w, OtherCPUS: other * w, ResolutionS: 0.017}})
		}
		return results.NewResult(i, m, results.Cell{Workload: "countdown", Mode: mode, Workers: workers}, params, samples, results.DefaultBusyCores)
	}
	rs := []results.Result{
		cell(p312, "serial", 2, []float64{1.0, 1.1, 0.9, 1.0, 1.05, 0.95}, []float64{1.0, 1.1, 0.9, 1.0, 1.05, 0.95}, 0.01),
		cell(p312, "threads", 2, []float64{1.05, 1.1, 1.0, 1.05, 1.07, 1.03}, []float64{1.05, 1.1, 1.0, 1.05, 1.07, 1.03}, 0.02),
		cell(p312, "processes", 2, []float64{1.4, 1.35, 1.38, 1.36, 1.37, 1.39}, []float64{2.0, 2.0, 2.0, 2.0, 2.0, 2.0}, 0.95),
		results.Skip(p312, m, results.Cell{Workload: "countdown", Mode: "subinterpreters", Workers: 2}, params, "subinterpreters need CPython 3.12 or newer"),
		cell(p313t, "serial", 2, []float64{2.0, 2.0, 2.2, 2.1, 2.05, 1.95}, []float64{2.0, 2.0, 2.2, 2.1, 2.05, 1.95}, 0.01),
		cell(p313t, "threads", 2, []float64{1.0, 1.1, 1.05, 1.02, 1.08, 1.04}, []float64{2.0, 2.1, 2.05, 2.0, 2.1, 2.05}, 0.01),
		cell(p313t, "processes", 2, []float64{1.05, 1.1, 1.0, 1.04, 1.06, 1.02}, []float64{2.0, 2.1, 2.0, 2.0, 2.1, 2.0}, 0.01),
	}
	rs = append(rs, probeFixture(m, p312, p313t)...)
	results.AddRatios(rs)
	return rs
}

// probeFixture is the probes on both interpreters: latency at 0 and 1
// CPU-bound threads and at 50 ms with 1, I/O at 0 and 1; 3.12 waits a
// switch interval, 3.13t does not; 3.13t's I/O cell with 1 thread is busy.
func probeFixture(m machine.Machine, p312, p313t results.Interpreter) []results.Result {
	params := results.Params{ProbeDurationS: 0.1, ProbeMinSamples: 5, ProbePeriodS: 0.002, ProbeIODelayS: 0.0001}
	var rs []results.Result
	for _, i := range []results.Interpreter{p312, p313t} {
		for _, c := range []results.Cell{
			{Workload: results.ProbeLatency, Prober: "goroutine", CPUThreads: 0, SwitchIntervalS: 0.005},
			{Workload: results.ProbeLatency, Prober: "thread", CPUThreads: 0, SwitchIntervalS: 0.005},
			{Workload: results.ProbeLatency, Prober: "goroutine", CPUThreads: 1, SwitchIntervalS: 0.005},
			{Workload: results.ProbeLatency, Prober: "thread", CPUThreads: 1, SwitchIntervalS: 0.005},
			{Workload: results.ProbeLatency, Prober: "goroutine", CPUThreads: 1, SwitchIntervalS: 0.05},
			{Workload: results.ProbeLatency, Prober: "thread", CPUThreads: 1, SwitchIntervalS: 0.05},
			{Workload: results.ProbeIO, Prober: "thread", CPUThreads: 0, SwitchIntervalS: 0.005},
			{Workload: results.ProbeIO, Prober: "thread", CPUThreads: 1, SwitchIntervalS: 0.005},
		} {
			base := 20e-6
			if c.Prober == results.ProbeThread {
				base = 80e-6
			}
			if i.GILEnabled && c.CPUThreads > 0 {
				base = c.SwitchIntervalS * 1.02
			}
			other := 0.01
			if i.FreeThreaded && c.Workload == results.ProbeIO && c.CPUThreads == 1 {
				other = 0.9
			}
			var samples []results.Sample
			for run := range 6 {
				s := results.Sample{WallS: 0.1, Load: &machine.Activity{WallS: 0.1, OtherCPUS: other * 0.1, ResolutionS: 0.017}}
				if c.Workload == results.ProbeIO {
					rate := 4000.0
					if c.CPUThreads > 0 && i.GILEnabled {
						rate = 190
					} else if c.CPUThreads > 0 {
						rate = 3800
					}
					s.RoundTrips = int(rate*0.1) + run
				} else {
					for k := range 8 {
						s.LatenciesS = append(s.LatenciesS, base*(1+0.01*float64((k*7+run)%50)))
					}
				}
				samples = append(samples, s)
			}
			rs = append(rs, results.NewResult(i, m, c, params, samples, results.DefaultBusyCores))
		}
	}
	return rs
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}

func TestFormatsMatchGoldenFiles(t *testing.T) {
	all := map[string]Format{"sidebyside": SideBySide}
	for _, name := range FormatNames {
		f, err := ByName(name)
		require.NoError(t, err)
		all[name] = f
	}
	for name, format := range all {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, format(&buf, Fixture()))
			golden(t, name, buf.Bytes())
		})
	}
	_, err := ByName("xml")
	assert.ErrorContains(t, err, `unknown format "xml" (table, json, csv, markdown, gobench)`)
}

func TestBusyCellsAreMarked(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Table(&buf, Fixture()))
	assert.Regexp(t, `processes\s+2\s.*BUSY 0\.95 \[1\]`, buf.String())
	assert.Contains(t, buf.String(), "[1] BUSY x: other processes used x cores during the cell's runs, more than 0.25 of a core; check sets its busy runs aside")
}

func verdicts() *check.Report {
	return &check.Report{Claims: []check.Claim{{ID: "cpu-threads-no-speedup", Claim: "two threads", Overall: "holds only on 3.12",
		Verdicts: map[string]check.Verdict{"3.12": {Verdict: check.Holds, Evidence: "0.95x <script>"}, "3.13t": {Verdict: check.DoesNotHold, Evidence: "1.97x"}}},
		{ID: "multiprocessing-parallel", Claim: "processes", Overall: "inconclusive",
			Verdicts: map[string]check.Verdict{"3.12": {Verdict: check.Inconclusive, Evidence: "not judged: busy"}, "3.13t": {Verdict: check.NA, Evidence: "-"}}}}}
}

var svgBlock = regexp.MustCompile(`(?s)<svg.*?</svg>`)

// TestSiteMatchesGoldenPage checks the whole page against a golden file,
// each inline chart replaced by a placeholder (the charts are tested on
// their own in package plots), and the files beside it.
func TestSiteMatchesGoldenPage(t *testing.T) {
	dir := t.TempDir()
	path, err := WriteSite(dir, Fixture(), verdicts())
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "report.html"), path)
	html, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 7, len(svgBlock.FindAll(html, -1)), "verdict grid, speedup and CPU charts, p99, p50, sweep and I/O charts inline")
	assert.NotContains(t, string(html), "<?xml", "no XML declaration inside HTML")
	assert.NotContains(t, string(html), "<script>", "evidence is escaped")
	golden(t, "site.html", svgBlock.ReplaceAll(html, []byte("<svg>…</svg>")))
	for _, f := range []string{"speedup-countdown.svg", "speedup-countdown.png", "cpu-countdown.svg", "cpu-countdown.png", "verdicts.svg", "verdicts.png", "results.json",
		"latency-p99.png", "latency-p50.png", "latency-sweep.png", "io-under-load.png"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	rs, err := results.ReadFile(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	assert.Len(t, rs, len(Fixture()))
}

func TestSiteWithoutVerdicts(t *testing.T) {
	dir := t.TempDir()
	_, err := WriteSite(dir, Fixture(), nil)
	require.NoError(t, err)
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.NotContains(t, string(html), "The article's claims")
	assert.NoFileExists(t, filepath.Join(dir, "verdicts.png"))
}

func TestFasterLine(t *testing.T) {
	ix := results.NewIndex(Fixture())
	line := FasterLine(results.Cell{Workload: "countdown", Mode: "serial", Workers: 2}, []string{"3.12", "3.13t"}, ix)
	assert.Equal(t, "countdown serial x2: 3.12 ran 2.05 [1.64, 2.58] times faster than 3.13t (95% CS, 6 pairs)", line)
	line = FasterLine(results.Cell{Workload: "countdown", Mode: "threads", Workers: 2}, []string{"3.12", "3.13t"}, ix)
	assert.Contains(t, line, "3.13t ran as fast as 3.12 (1.00x; the interval 0.93–1.08 contains 1, 6 pairs)", "1.05 s against 1.045 s")
	line = FasterLine(results.Cell{Workload: "countdown", Mode: "processes", Workers: 2}, []string{"3.12", "3.13t"}, ix)
	assert.Contains(t, line, "[busy machine]")
	assert.Empty(t, FasterLine(results.Cell{Workload: "countdown", Mode: "subinterpreters", Workers: 2}, []string{"3.12", "3.13t"}, ix))
}

// TestSiteNamesTheGilkit: the report's header says which gilkit measured
// the results and which wrote the report.
func TestSiteNamesTheGilkit(t *testing.T) {
	rs := Fixture()
	g := version.Info{Version: "v1.2.0", Revision: "5cd8c5e37b605fb4f9ddd428e692849f3a73a013"}
	for i := range rs[1:] {
		rs[i+1].Gilkit = &g
	}
	p, _, err := BuildPage(rs, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"not recorded", "v1.2.0 (revision 5cd8c5e37b60)"}, p.Gilkits, "one entry per gilkit; old results say they did not record it")
	assert.Equal(t, version.Current(), p.Writer)
}
