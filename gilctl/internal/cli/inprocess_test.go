package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// These tests call Main in this process, as benchstat's tests do, for
// everything that does not start Python: help, usage errors, report and
// check --from. (CPython starts once per process, so the commands that run
// it are tested through the built binary in cli_test.go.)

var update = flag.Bool("update", false, "rewrite the golden files")

type outcome struct {
	code        int
	stdout, err string
}

func gilctl(t *testing.T, args ...string) outcome {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errOut)
	return outcome{code, out.String(), errOut.String()}
}

// golden compares got with testdata/NAME.golden; the interpreter's name
// (the usage text names it) is replaced by NAME so that one file serves
// every interpreter.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, "CPython "+embed.BuildName()+",", "CPython NAME,")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

func TestHelp(t *testing.T) {
	o := gilctl(t, "help")
	assert.Equal(t, 0, o.code)
	golden(t, "help", o.stdout)

	o = gilctl(t)
	assert.Equal(t, 2, o.code)
	assert.Contains(t, o.err, "Usage: gilctl COMMAND")

	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			o := gilctl(t, c.name, "-h")
			assert.Equal(t, 0, o.code)
			assert.Contains(t, o.err, "Usage: gilctl "+c.name)
			assert.Contains(t, o.err, "Examples:")
		})
	}
	golden(t, "bench-help", gilctl(t, "bench", "-h").err)
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"info", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"info", "extra"}, 2, `gilctl info: unexpected argument "extra"`},
		{[]string{"run"}, 2, "missing FILE.py"},
		{[]string{"run", "--timeout", "soon", "x.py"}, 2, `invalid value "soon" for flag --timeout`},
		{[]string{"bench", "--workload", "cpu"}, 2, `invalid value "cpu" for flag -workload: unknown workload "cpu"`},
		{[]string{"bench", "--mode", "threads,fibers"}, 2, `unknown mode "fibers"`},
		{[]string{"bench", "--workers", "0"}, 2, `bad worker count "0"`},
		{[]string{"bench", "--workers", "1.5"}, 2, `bad worker count "1.5"`},
		{[]string{"bench", "--workers", ","}, 2, "name at least one worker count"},
		{[]string{"bench", "--runs", "0"}, 2, "--runs must be at least 1"},
		{[]string{"bench", "--count", "-5"}, 2, "--count must be positive"},
		{[]string{"bench", "--busy-cores", "0"}, 2, "--busy-cores must be positive"},
		{[]string{"bench", "--retry-busy=lots"}, 2, `want a number of attempts (0 or more), got "lots"`},
		{[]string{"bench", "--format", "xml"}, 2, `unknown format "xml" (table, json, csv, markdown, gobench)`},
		{[]string{"bench", "--json", "--csv"}, 2, "conflicting output formats: --csv and --json; choose one"},
		{[]string{"compare", "--format", "csv", "--markdown"}, 2, "conflicting output formats: --format csv and --markdown"},
		{[]string{"bench", "--format", "table", "--gobench"}, 2, "conflicting output formats: --format table and --gobench"},
		{[]string{"compare", "--pythons", "2.7"}, 2, "no gilctl-2.7 beside this binary"},
		{[]string{"check", "--pythons", "2.7"}, 2, "no gilctl-2.7 beside this binary"},
		{[]string{"bench", "stray"}, 2, `gilctl bench: unexpected argument "stray"`},
		{[]string{"worker", "--runs", "0"}, 2, "--runs must be at least 1"},
		{[]string{"report"}, 2, "--results is required"},
		{[]string{"report", "--results", "/no/such.json"}, 1, "reading results: open /no/such.json: no such file or directory"},
		{[]string{"check", "--from", "/no/such.json"}, 1, "reading results: open /no/such.json"},
		{[]string{"probe", "--probe", "nope"}, 2, `unknown probe "nope" (known: latency, io)`},
		{[]string{"probe", "--cpu-threads", "-1"}, 2, `bad thread count "-1"`},
		{[]string{"probe", "--sweep", "fast"}, 2, `bad switch interval "fast"`},
		{[]string{"probe", "--sweep", "0s"}, 2, `bad switch interval "0s"`},
		{[]string{"probe", "--probe-duration", "-1s"}, 2, "--probe-duration must not be negative"},
		{[]string{"probe", "--cpu-threads", "1,2"}, 2, "the I/O probe compares with its idle rate: --cpu-threads must include 0 (got 1,2)"},
		{[]string{"probe", "--json", "--markdown"}, 2, "conflicting output formats"},
		{[]string{"compare", "--workload", "probe-io", "--cpu-threads", "2"}, 2, "--cpu-threads must include 0"},
		{[]string{"bench", "--script", "/no/such/work.py"}, 2, "no such file: /no/such/work.py"},
		{[]string{"bench", "--script", os.TempDir()}, 2, "is a folder; name a Python file"},
		{[]string{"bench", "--workload", "my_work.py"}, 2, `unknown workload "my_work.py": a Python file is given with --script my_work.py`},
		{[]string{"compare", "--script", "testdata/scripts/a/work.py", "--script", "testdata/scripts/b/work.py"}, 2, "two scripts named work.py"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			o := gilctl(t, tc.args...)
			assert.Equal(t, tc.code, o.code, o.err)
			assert.Contains(t, o.err, tc.want)
			assert.Empty(t, o.stdout, "errors go to stderr")
		})
	}
}

// TestFormatFlagsAgree: naming the same format twice is not a conflict.
func TestFormatFlagsAgree(t *testing.T) {
	for _, args := range [][]string{nil, {"--json"}, {"--format", "json", "--json"}, {"--format=csv"}} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		f := addFormatFlags(fs)
		require.NoError(t, fs.Parse(args))
		name, err := f.chosen(fs)
		require.NoError(t, err, "%v", args)
		assert.NotEmpty(t, name)
	}
}

func TestListFlagsAccumulate(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	sf := addSpecFlags(fs, specDefaults{workloads: "countdown", modes: "serial", workers: "1,2"})
	require.NoError(t, fs.Parse([]string{"--workload", "io,countdown,io-sleep", "--mode", "threads", "--mode", "processes", "--workers", "4,1,2,2", "--retry-busy"}))
	spec, err := sf.spec()
	require.NoError(t, err)
	assert.Equal(t, []string{"io-sleep", "io-socket", "io-file", "countdown"}, spec.Workloads, "groups expand, duplicates go")
	assert.Equal(t, []string{"threads", "processes"}, spec.Modes, "a second --mode adds to the first")
	assert.Equal(t, []int{1, 2, 4}, spec.Workers)
	opt, err := sf.options(nil, spec, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, opt.RetryBusy, "--retry-busy alone means 3 more attempts")
}

// fixtureResults writes a fixed, complete set of results (6 runs a cell,
// so that intervals exist) to a file and returns its path.
func fixtureResults(t *testing.T) string {
	m := machine.Machine{Cores: 2, GOMAXPROCS: 2, GOOS: "linux", GOARCH: "amd64", GoVersion: "go1.test", Hostname: "test"}
	gil := results.Interpreter{Name: "3.12", Version: "3.12.1", GILEnabled: true, SwitchInterval: 0.005}
	ft := results.Interpreter{Name: "3.13t", Version: "3.13.15", FreeThreaded: true, SwitchInterval: 0.005}
	ftg := results.Interpreter{Name: "3.13t+gil", Version: "3.13.15", FreeThreaded: true, GILEnabled: true, SwitchInterval: 0.005}
	params := results.Params{Count: 5_000_000, IOOps: 8, SleepS: 0.02, MiB: 64}
	var rs []results.Result
	add := func(i results.Interpreter, w, mode string, n int, wall float64) {
		var s []results.Sample
		for k := range 6 {
			j := k // the runs of the cells a ratio pairs differ in order
			if mode != "serial" {
				j = (5*k + 2) % 6
			}
			x := wall * (1 + 0.01*float64(j-3))
			s = append(s, results.Sample{WallS: x, CPUS: x, Load: &machine.Activity{WallS: x, OtherCPUS: 0.01 * x, ResolutionS: 0.017}})
		}
		rs = append(rs, results.NewResult(i, m, results.Cell{Workload: w, Mode: mode, Workers: n}, params, s, results.DefaultBusyCores))
	}
	for _, c := range []struct {
		i                  results.Interpreter
		serial, thr, procs float64
	}{{gil, 0.12, 0.125, 0.065}, {ft, 0.2, 0.105, 0.11}, {ftg, 0.21, 0.22, 0.11}} {
		add(c.i, "countdown", "serial", 1, c.serial)
		add(c.i, "countdown", "serial", 2, c.serial)
		add(c.i, "countdown", "threads", 2, c.thr)
		add(c.i, "countdown", "processes", 2, c.procs)
		add(c.i, "io-sleep", "serial", 1, 0.16)
		add(c.i, "io-sleep", "serial", 2, 0.16)
		add(c.i, "io-sleep", "threads", 2, 0.08)
		add(c.i, "release-sha256", "serial", 2, 0.2)
		add(c.i, "release-sha256", "threads", 2, 0.105)
		add(c.i, "asyncio", "serial", 1, 0.021)
	}
	results.AddSpeedups(rs)
	path := filepath.Join(t.TempDir(), "compare.json")
	require.NoError(t, results.WriteFile(path, rs))
	return path
}

func TestCheckFrom(t *testing.T) {
	from := fixtureResults(t)
	o := gilctl(t, "check", "--from", from)
	require.Equal(t, 0, o.code, o.err)
	assert.Contains(t, o.err, "without running refcount.py", "it says why refcount-4-5 is n/a")
	golden(t, "check-from", o.stdout)

	saved := filepath.Join(t.TempDir(), "check.json")
	o = gilctl(t, "check", "--from", from, "--json", "--save", saved)
	require.Equal(t, 0, o.code, o.err)
	golden(t, "check-from-json", o.stdout)
	var rep check.Report
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &rep))
	data, err := os.ReadFile(saved)
	require.NoError(t, err)
	assert.JSONEq(t, o.stdout, string(data), "--save writes what --json prints")
}

func TestReport(t *testing.T) {
	from := fixtureResults(t)
	verdicts := filepath.Join(t.TempDir(), "check.json")
	require.Equal(t, 0, gilctl(t, "check", "--from", from, "--save", verdicts).code)
	out := filepath.Join(t.TempDir(), "site")
	o := gilctl(t, "report", "--results", from, "--check", verdicts, "--out", out)
	require.Equal(t, 0, o.code, o.err)
	assert.Equal(t, "report: "+filepath.Join(out, "report.html")+"\n", o.stdout)
	for _, f := range []string{"report.html", "results.json", "verdicts.png", "speedup-countdown.png", "speedup-countdown.svg", "cpu-io-sleep.png"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "nogil-single-thread-cost")

	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"claims": []}`), 0o644))
	o = gilctl(t, "report", "--results", from, "--check", bad, "--out", out)
	assert.Equal(t, 1, o.code)
	assert.Contains(t, o.err, "holds no claims (is it check --save output?)")

	empty := filepath.Join(t.TempDir(), "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"results": []}`), 0o644))
	o = gilctl(t, "report", "--results", empty)
	assert.Equal(t, 1, o.code)
	assert.Contains(t, o.err, "holds no results")
}
