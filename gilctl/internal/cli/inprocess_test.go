package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
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

// gilctl runs Main as the program "gilctl" with args.
func gilctl(t *testing.T, args ...string) outcome {
	t.Helper()
	return invoke(t, append([]string{"gilctl"}, args...))
}

func invoke(t *testing.T, argv []string) outcome {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(argv, strings.NewReader(""), &out, &errOut)
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
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

// transcript runs command lines in process and compares what a user sees
// (each line, its exit status, stdout and stderr) with
// testdata/NAME.golden; replace names strings to write in their place
// (temporary folders: "$TMP"), as pairs.
func transcript(t *testing.T, name string, lines [][]string, replace ...string) {
	t.Helper()
	var b strings.Builder
	for _, args := range lines {
		o := gilctl(t, args...)
		fmt.Fprintf(&b, "$ gilctl %s\nexit %d\n", strings.Join(args, " "), o.code)
		for _, stream := range []struct{ name, text string }{{"stdout", o.stdout}, {"stderr", o.err}} {
			if stream.text != "" {
				fmt.Fprintf(&b, "%s:\n  %s\n", stream.name, strings.ReplaceAll(strings.TrimSuffix(stream.text, "\n"), "\n", "\n  "))
			}
		}
		b.WriteString("\n")
	}
	got := b.String()
	for i := 0; i+1 < len(replace); i += 2 {
		got = strings.ReplaceAll(got, replace[i], replace[i+1])
	}
	golden(t, name, got)
}

// TestHelp: help goes to stdout with status 0 however it is asked for;
// with no command at all, the same text is an error.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "help"}} {
		o := gilctl(t, args...)
		assert.Equal(t, 0, o.code, args)
		assert.Empty(t, o.err, args)
		golden(t, "help", o.stdout)
	}
	assert.NotContains(t, gilctl(t, "help").stdout, "worker", "the internal command is not listed")

	o := gilctl(t)
	assert.Equal(t, 2, o.code)
	assert.Empty(t, o.stdout)
	assert.Equal(t, gilctl(t, "help").stdout, o.err, "no command: the help, as an error")

	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			o := gilctl(t, c.name, "-h")
			assert.Equal(t, 0, o.code)
			assert.Empty(t, o.err, "help goes to stdout")
			assert.Contains(t, o.stdout, "Usage: gilctl "+c.name)
			assert.Contains(t, o.stdout, "Examples:")
			assert.NotRegexp(t, `(?m)^  -[a-z][a-z-]*( [a-z]+)?$`, o.stdout, "flags are shown with two dashes")
			golden(t, "help/"+c.name, o.stdout)
			for _, args := range [][]string{{"help", c.name}, {c.name, "--help"}, {c.name, "-help"}} {
				again := gilctl(t, args...)
				assert.Equal(t, outcome{0, o.stdout, ""}, again, "%v is %s -h", args, c.name)
			}
		})
	}
}

// TestHelpUsesTheNameTyped: bin/gilctl-3.13t bench -h shows examples
// that start with gilctl-3.13t; names of other binaries stay.
func TestHelpUsesTheNameTyped(t *testing.T) {
	o := invoke(t, []string{"bin/gilctl-3.13t", "bench", "-h"})
	require.Equal(t, 0, o.code)
	assert.Contains(t, o.stdout, "Usage: gilctl-3.13t bench [flags]")
	assert.Contains(t, o.stdout, "\n  gilctl-3.13t bench --quick --save out.json")
	assert.Contains(t, o.stdout, "PYTHON_GIL=1 bin/gilctl-3.13t bench", "an example naming a binary keeps it")
	assert.NotRegexp(t, `(?m)^  gilctl `, o.stdout)

	o = invoke(t, []string{"/usr/local/bin/gilctl", "info", "--bogus"})
	assert.Equal(t, "gilctl info: flag provided but not defined: --bogus\nSee 'gilctl info -h'.\n", o.err)
	o = invoke(t, []string{"gilctl-3.12", "report", "-h"})
	assert.Contains(t, o.stdout, "gilctl-3.12 bench --quick --save b.json && gilctl-3.12 report --results b.json", "after && too")
	o = invoke(t, []string{"gilctl-3.12", "nope"})
	assert.Equal(t, "gilctl-3.12: unknown command \"nope\"\nSee 'gilctl-3.12 help'.\n", o.err)
}

// TestUsageErrors: a wrong command line is one line on stderr naming what
// is wrong (a flag with its two dashes), a pointer to the help, and exit
// status 2; nothing on stdout.
func TestUsageErrors(t *testing.T) {
	pwd, err := os.Getwd()
	require.NoError(t, err)
	lines := [][]string{
		{"nope"},
		{"--json", "info"},
		{"help", "nope"},
		{"help", "bench", "run"},
		{"info", "--bogus"},
		{"info", "extra"},
		{"info", "--csv"},
		{"info", "--format", "csv"},
		{"version", "--format", "yaml"},
		{"run"},
		{"run", "--timeout"},
		{"run", "--timeout", "soon", "x.py"},
		{"bench", "--workload", "cpu"},
		{"bench", "--mode", "threads,fibers"},
		{"bench", "--workers", "0"},
		{"bench", "--workers", "1.5"},
		{"bench", "--workers", ","},
		{"bench", "--runs", "0"},
		{"bench", "--runs", "many"},
		{"bench", "--runs"},
		{"bench", "--quick=maybe"},
		{"bench", "--count", "-5"},
		{"bench", "--busy-cores", "0"},
		{"bench", "--retry-busy=lots"},
		{"bench", "--format", "xml"},
		{"bench", "--json", "--csv"},
		{"compare", "--format", "csv", "--markdown"},
		{"bench", "--format", "table", "--gobench"},
		{"check", "--json", "--format", "table"},
		{"bench", "stray"},
		{"bench", "--script", "/no/such/work.py"},
		{"bench", "--script", "testdata"},
		{"bench", "--workload", "my_work.py"},
		{"compare", "--script", "testdata/scripts/a/work.py", "--script", "testdata/scripts/b/work.py"},
		{"compare", "--pythons", "2.7"},
		{"check", "--pythons", "2.7"},
		{"worker", "--runs", "0"},
		{"report"},
		{"probe", "--probe", "nope"},
		{"probe", "--cpu-threads", "-1"},
		{"probe", "--sweep", "fast"},
		{"probe", "--sweep", "0s"},
		{"probe", "--probe-duration", "-1s"},
		{"probe", "--cpu-threads", "1,2"},
		{"probe", "--json", "--markdown"},
		{"compare", "--workload", "probe-io", "--cpu-threads", "2"},
	}
	transcript(t, "usage-errors", lines, pwd, "$PWD")
	for _, args := range lines {
		o := gilctl(t, args...)
		assert.Equal(t, 2, o.code, "%v: %s", args, o.err)
		assert.Empty(t, o.stdout, "%v: errors go to stderr", args)
		assert.Regexp(t, `^[^\n]+\nSee 'gilctl( [a-z]+)? ?(help|-h)'\.\n$`, o.err, "%v: one line, then where the help is", args)
	}
}

// TestFormatFlagsAgree: naming the same format twice is not a conflict.
func TestFormatFlagsAgree(t *testing.T) {
	for _, args := range [][]string{nil, {"--json"}, {"--format", "json", "--json"}, {"--format=csv"}} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		f := addFormatFlags(fs, resultFormats)
		require.NoError(t, fs.Parse(args))
		name, err := f.chosen(fs)
		require.NoError(t, err, "%v", args)
		assert.NotEmpty(t, name)
	}
}

// TestFormatFlagsAreTheSameEverywhere: every command whose output has a
// format takes --format with the same shorthands for the formats it has.
func TestFormatFlagsAreTheSameEverywhere(t *testing.T) {
	for _, c := range []struct {
		cmd     string
		formats []string
	}{{"bench", resultFormats}, {"compare", resultFormats}, {"probe", resultFormats}, {"check", documentFormats}, {"info", documentFormats}, {"version", documentFormats}} {
		help := gilctl(t, c.cmd, "-h").stdout
		assert.Contains(t, help, "--format string\n    \toutput: "+strings.Join(c.formats, ", ")+" (default \"table\")", c.cmd)
		for _, f := range c.formats[1:] {
			assert.Contains(t, help, "--"+f+"\n    \tsame as --format "+f, c.cmd)
		}
	}
}

// TestSaveMeansResults: --save is one flag with one meaning wherever it is.
func TestSaveMeansResults(t *testing.T) {
	var usage []string
	for _, c := range commands() {
		if fl := gilctl(t, c.name, "-h").stdout; strings.Contains(fl, "--save FILE") {
			_, after, _ := strings.Cut(fl, "--save FILE\n")
			line, _, _ := strings.Cut(after, "\n")
			usage = append(usage, line)
		}
	}
	require.Len(t, usage, 4, "bench, compare, check and probe save results")
	for _, u := range usage {
		assert.Equal(t, usage[0], u)
	}
}

func TestListFlagsAccumulate(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	sf := addSpecFlags(fs, specDefaults{workloads: "countdown", modes: "serial", workers: "1,2"})
	require.NoError(t, fs.Parse([]string{"--workload", "io,countdown,io-sleep", "--mode", "threads", "--mode", "processes", "--workers", "4,1,2,2", "--retry-busy"}))
	spec, err := sf.spec()
	require.NoError(t, err)
	assert.Equal(t, []string{"io-sleep", "io-socket", "io-file", "countdown"}, spec.Workloads, "groups expand, duplicates go")
	assert.Equal(t, []results.Mode{results.Threads, results.Processes}, spec.Modes, "a second --mode adds to the first")
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
	add := func(i results.Interpreter, w string, mode results.Mode, n int, wall float64) {
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

func TestCheckResults(t *testing.T) {
	from := fixtureResults(t)
	o := gilctl(t, "check", "--results", from)
	require.Equal(t, 0, o.code, o.err)
	assert.Contains(t, o.err, "without running refcount.py", "it says why refcount-4-5 is n/a")
	golden(t, "check-results", o.stdout)

	saved := filepath.Join(t.TempDir(), "check.json")
	o = gilctl(t, "check", "--results", from, "--json", "--save-verdicts", saved)
	require.Equal(t, 0, o.code, o.err)
	golden(t, "check-results-json", o.stdout)
	var rep struct {
		Gilkit map[string]any `json:"gilkit"`
		check.Report
	}
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &rep))
	assert.Equal(t, map[string]any{"version": "unknown", "revision": "unknown"}, rep.Gilkit, "the verdicts say which gilkit judged them (a test binary has no stamp)")
	assert.NotEmpty(t, rep.Claims)
	data, err := os.ReadFile(saved)
	require.NoError(t, err)
	assert.JSONEq(t, o.stdout, string(data), "--save-verdicts writes what --json prints")

	o = gilctl(t, "check", "--results", from, "--format", "json")
	assert.Equal(t, 0, o.code)
	assert.JSONEq(t, string(data), o.stdout, "--format json is --json")
}

// TestOldSpellings: check --from and report --check still work (hidden
// from the help); --from FILE --save FILE still writes the verdicts, as it
// did, and says how to spell it now.
func TestOldSpellings(t *testing.T) {
	from := fixtureResults(t)
	dir := t.TempDir()
	verdicts := filepath.Join(dir, "check.json")
	o := gilctl(t, "check", "--from", from, "--save", verdicts)
	require.Equal(t, 0, o.code, o.err)
	assert.Contains(t, o.err, "gilctl check: --from and --save are old spellings: this writes the verdicts to "+verdicts+"; say --results "+from+" --save-verdicts "+verdicts+"\n")
	_, err := readVerdicts(verdicts)
	require.NoError(t, err, "the old command line wrote verdicts")
	o = gilctl(t, "report", "--results", from, "--check", verdicts, "--out", filepath.Join(dir, "site"))
	require.Equal(t, 0, o.code, o.err)
	for _, cmd := range []string{"check", "report"} {
		help := gilctl(t, cmd, "-h").stdout
		assert.NotContains(t, help, "--from")
		assert.NotContains(t, help, "--check ")
	}
}

func TestReport(t *testing.T) {
	from := fixtureResults(t)
	verdicts := filepath.Join(t.TempDir(), "check.json")
	require.Equal(t, 0, gilctl(t, "check", "--results", from, "--save-verdicts", verdicts).code)
	out := filepath.Join(t.TempDir(), "site")
	o := gilctl(t, "report", "--results", from, "--verdicts", verdicts, "--out", out)
	require.Equal(t, 0, o.code, o.err)
	assert.Equal(t, "report: "+filepath.Join(out, "report.html")+"\n", o.stdout)
	for _, f := range []string{"report.html", "results.json", "verdicts.png", "speedup-countdown.png", "speedup-countdown.svg", "cpu-io-sleep.png"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "nogil-single-thread-cost")
	assert.Contains(t, string(html), `<p id="gilkit">Measured with gilkit`)
}

// TestResultsFiles: a file that is not what the flag takes is a usage
// error saying what the file holds and what was expected; the work never
// starts on it (check --results out/check.json used to judge every claim
// n/a and exit 0).
func TestResultsFiles(t *testing.T) {
	from := fixtureResults(t)
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	verdicts := filepath.Join(dir, "out", "check.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(verdicts), 0o755))
	require.Equal(t, 0, gilctl(t, "check", "--results", from, "--save-verdicts", verdicts).code)
	notJSON := write("out/compare.txt", "countdown threads 2 0.95\n")
	empty := write("empty.json", `{"results": []}`)
	probeJSON := write("probe.json", `{"latency": [], "io": []}`)
	infoJSON := write("info.json", `{"name": "3.12", "free_threaded": false, "gil_enabled": true}`)
	noClaims := write("no-claims.json", `{"claims": []}`)
	transcript(t, "results-files", [][]string{
		{"check", "--results", "/no/such.json"},
		{"check", "--results", verdicts},
		{"check", "--results", notJSON},
		{"check", "--results", empty},
		{"check", "--results", probeJSON},
		{"check", "--results", infoJSON},
		{"check", "--results", from, "--save", filepath.Join(dir, "verdicts.json")},
		{"report", "--results", "/no/such.json"},
		{"report", "--results", verdicts},
		{"report", "--results", from, "--verdicts", from},
		{"report", "--results", from, "--verdicts", notJSON},
		{"report", "--results", from, "--verdicts", noClaims},
		{"report", "--results", from, "--verdicts", "/no/such.json"},
	}, from, "$RESULTS", dir, "$TMP")
}
