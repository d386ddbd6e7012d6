package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/provenance"
)

// gilctl is built once per test process, against the interpreter the cgo
// environment selects (make test sets it per interpreter), and run as a
// real process: that is how users run it, and CPython starts once per
// process.
var gilctl string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gilctl-test")
	if err != nil {
		panic(err)
	}
	// Named like make build's binaries, so that compare and check find it.
	gilctl = filepath.Join(dir, "gilctl-"+embed.BuildName())
	// -buildvcs=false: a binary without a stamp, wherever the tests run
	// (TestVersion builds a stamped one).
	build := exec.Command("go", "build", "-buildvcs=false", "-o", gilctl, "github.com/gilkit/gilkit/gilctl")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("building gilctl: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(gilctl, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{out.String(), errOut.String(), code}
}

func examples(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "pyexamples", name)
}

func writeScript(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.py")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	return path
}

func TestInfoJSON(t *testing.T) {
	r := run(t, []string{"PYTHON_GIL="}, "info", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var info map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &info))
	for _, key := range []string{"name", "version", "free_threaded", "gil_enabled", "switch_interval", "executable", "libpython", "machine", "gilkit"} {
		assert.Contains(t, info, key)
	}
	free := info["free_threaded"].(bool)
	assert.Equal(t, !free, info["gil_enabled"], "GIL on for a GIL build, off for a free-threaded one")
	machine := info["machine"].(map[string]any)
	assert.EqualValues(t, runtime.NumCPU(), machine["cores"])
	record, err := os.ReadFile(filepath.Join(info["prefix"].(string), provenance.File))
	if err == nil {
		var want map[string]any
		require.NoError(t, json.Unmarshal(record, &want))
		assert.Equal(t, want, info["source"], "source is the prefix's gilkit-source.json")
		assert.Equal(t, info["version"], want["version"])
	} else {
		assert.NotContains(t, info, "source", "no source for an interpreter gilkit did not build")
	}

	forced := run(t, []string{"PYTHON_GIL=1"}, "info", "--json")
	require.Equal(t, 0, forced.code, forced.stderr)
	require.NoError(t, json.Unmarshal([]byte(forced.stdout), &info))
	assert.Equal(t, true, info["gil_enabled"], "PYTHON_GIL=1 turns the GIL on")
}

func TestInfoText(t *testing.T) {
	r := run(t, nil, "info")
	require.Equal(t, 0, r.code, r.stderr)
	for _, label := range []string{"interpreter", "version", "build", "GIL at run time", "switch interval", "libpython", "source", "machine"} {
		assert.Contains(t, r.stdout, label)
	}
	assert.Regexp(t, `(?m)^source +(\S+ \(CPython 3\.\d+\.\d+\S*, from \S+\), sha256 [0-9a-f]{64}|unknown \(not built by gilkit|Debian's binary packages \(CPython 3\.\d+\.\d+\S*, origin debian-binary, from .+\):$)`, r.stdout)
	if strings.Contains(r.stdout, "origin debian-binary") {
		// One indented line per package, the interpreter's first, glibc among them.
		assert.Regexp(t, `(?m)^source .*:\n {19}libpython3\.\d+ \S+, sha256 [0-9a-f]{64}$`, r.stdout)
		assert.Regexp(t, `(?m)^ {19}libc6 \S+, sha256 [0-9a-f]{64}$`, r.stdout)
	}
}

// TestRunRefcount runs the article's refcount snippet and compares it with
// what the real interpreter binary prints for the same file.
func TestRunRefcount(t *testing.T) {
	r := run(t, nil, "run", examples("refcount.py"))
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Fields(r.stdout)
	require.Len(t, lines, 2)

	var info map[string]any
	require.NoError(t, json.Unmarshal([]byte(run(t, nil, "info", "--json").stdout), &info))
	want, err := exec.Command(info["executable"].(string), examples("refcount.py")).Output()
	require.NoError(t, err)
	assert.Equal(t, string(want), r.stdout, "embedded output equals the interpreter's own")
}

func TestRunExamples(t *testing.T) {
	cases := []struct {
		file string
		args []string
		want string
	}{
		{"countdown_single.py", []string{"200000"}, "Time taken in seconds"},
		{"countdown_threads.py", []string{"200000"}, "Time taken in seconds"},
		{"countdown_multiprocessing.py", []string{"200000"}, "Time taken in seconds"},
		{"io_threads.py", []string{"2", "0.01"}, "in threads took"},
		{"asyncio_waits.py", []string{"2", "0.01"}, "with asyncio took"},
		{"release_gil_threads.py", []string{"8"}, "speedup"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r := run(t, nil, append([]string{"run", "--timeout", "60s", examples(tc.file)}, tc.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, tc.want)
		})
	}
}

func TestRunFailures(t *testing.T) {
	cases := []struct {
		name       string
		src        string
		args       []string
		wantCode   int
		wantStderr string
		wantStdout string
	}{
		{name: "exception", src: "print('before')\nraise ValueError('boom')", wantCode: 1, wantStderr: "ValueError: boom", wantStdout: "before"},
		{name: "syntax error", src: "def (:", wantCode: 1, wantStderr: "SyntaxError"},
		{name: "sys.exit(7)", src: "import sys; sys.exit(7)", wantCode: 7},
		{name: "sys.exit(0)", src: "import sys; sys.exit(0)", wantCode: 0},
		{name: "sys.exit(message)", src: "import sys; sys.exit('bad input')", wantCode: 1, wantStderr: "bad input"},
		{name: "argv", src: "import sys; print(sys.argv[1:])", args: []string{"a", "b"}, wantStdout: "['a', 'b']"},
		{name: "timeout", src: "while True:\n    pass", args: []string{}, wantCode: 124, wantStderr: "timed out after 500ms"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := writeScript(t, tc.src)
			args := []string{"run", "--timeout", "500ms", script}
			if tc.name != "timeout" {
				args = []string{"run", "--timeout", "60s", script}
			}
			r := run(t, nil, append(args, tc.args...)...)
			assert.Equal(t, tc.wantCode, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stderr, tc.wantStderr)
			assert.Contains(t, r.stdout, tc.wantStdout)
		})
	}
}

// TestRunUsageErrors runs the built binary: from "run /no/such/file.py" on,
// python's own command line handling answers, as python would.
func TestRunUsageErrors(t *testing.T) {
	cases := []struct {
		args       []string
		wantCode   int
		wantStderr string
	}{
		{[]string{"run"}, 2, "missing FILE.py"},
		{[]string{"run", "/no/such/file.py"}, 2, "can't open file '/no/such/file.py': [Errno 2] No such file or directory"},
		{[]string{"run", "--timeout"}, 2, "flag needs an argument: --timeout"},
		{[]string{"run", "--timeout", "-1s", "x.py"}, 2, "invalid value"},
		{[]string{"run", "-Z", "x.py"}, 2, "nknown option: -Z"}, // python's own usage message
		{[]string{"run", "--timeout", "soon", "x.py"}, 2, "invalid value"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, tc.wantCode, r.code)
			assert.Contains(t, r.stderr, tc.wantStderr)
		})
	}
	help := run(t, nil, "run", "-h")
	assert.Equal(t, 0, help.code)
	assert.Contains(t, help.stdout, "Examples:", "help goes to stdout")
	assert.Empty(t, help.stderr)
}

func TestBenchEndToEnd(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "results.json")
	r := run(t, nil, "bench", "--examples", examples(""), "--workload", "countdown,release-numpy", "--mode", "serial,threads",
		"--workers", "1,2", "--runs", "2", "--warmup", "0", "--count", "20000", "--save", saved)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "speedup")
	assert.Regexp(t, `countdown\s+threads\s+2`, r.stdout)
	assert.Contains(t, r.stderr, "[", "progress goes to stderr")

	data, err := os.ReadFile(saved)
	require.NoError(t, err)
	var rep struct {
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	require.Len(t, rep.Results, 8)
	for _, res := range rep.Results {
		interp := res["interpreter"].(map[string]any)
		for _, key := range []string{"name", "version", "free_threaded", "gil_enabled"} {
			assert.Contains(t, interp, key)
		}
		if res["workload"] == "release-numpy" {
			continue // skipped or run, depending on the interpreter
		}
		assert.Contains(t, res, "wall_s")
		assert.Contains(t, res, "speedup")
		assert.Contains(t, res, "other_load", "every result says how busy the machine was")
		assert.Equal(t, map[string]any{"version": "unknown", "revision": "unknown"}, res["gilkit"], "every result says which gilkit measured it")
	}

	for _, format := range []string{"--json", "--csv", "--markdown", "--gobench"} {
		r := run(t, nil, "bench", "--examples", examples(""), "--workload", "countdown", "--mode", "serial", "--workers", "1", "--runs", "1", "--warmup", "0", "--count", "1000", format)
		require.Equal(t, 0, r.code, "%s: %s", format, r.stderr)
		assert.NotEmpty(t, r.stdout, format)
	}
}

// compareTargets is this interpreter, plus its +gil variant when it is
// free-threaded: two columns where possible.
func compareTargets() string {
	name := embed.BuildName()
	if embed.FreeThreaded() {
		return name + "," + name + "+gil"
	}
	return name
}

// smallMatrix is small but has 6 runs a cell, so that verdicts have intervals.
var smallMatrix = []string{"--examples", examples(""), "--count", "20000", "--runs", "6", "--warmup", "0"}

func TestCompareEndToEnd(t *testing.T) {
	args := append([]string{"compare", "--pythons", compareTargets(), "--workload", "countdown", "--mode", "serial,threads", "--workers", "1,2"}, smallMatrix...)
	r := run(t, nil, args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, embed.BuildName()+" wall")
	assert.Contains(t, r.stderr, "[4/4] countdown threads x2")
	if embed.FreeThreaded() {
		assert.Contains(t, r.stdout, "+gil wall")
		assert.Regexp(t, `countdown threads x2: \S+ ran (\d+\.\d\d \[\d+\.\d\d, \d+\.\d\d\] times faster than|as fast as) \S+ \(`, r.stdout)
	}

	missing := run(t, nil, "compare", "--pythons", "2.7")
	assert.Equal(t, 2, missing.code)
	assert.Contains(t, missing.stderr, "no gilctl-2.7 beside this binary")
}

// TestCheckEndToEnd judges a real (small) run. Claims that do not depend on
// timing have one right answer per interpreter; timed ones must be judged
// from their interval, and sleeping threads overlap on any machine, so
// io-threads-overlap never "does not hold".
func TestCheckEndToEnd(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "check-results.json")
	args := append([]string{"check", "--pythons", compareTargets(), "--json", "--workload", "countdown,io-sleep,probe-io", "--mode", "serial,threads", "--workers", "1,2",
		"--cpu-threads", "0,1", "--probe-duration", "50ms", "--save", saved}, smallMatrix...)
	r := run(t, nil, args...)
	require.Equal(t, 0, r.code, r.stderr)
	again := run(t, nil, "check", "--results", saved, "--pythons", compareTargets(), "--examples", examples(""), "--json")
	require.Equal(t, 0, again.code, "--save wrote the results that --results reads: %s", again.stderr)
	data, err := os.ReadFile(saved)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"gilkit": {`)
	var rep struct {
		Gilkit *struct{ Revision string } `json:"gilkit"`
		check.Report
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.NotNil(t, rep.Gilkit, "the verdicts say which gilkit judged them")
	assert.Equal(t, "unknown", rep.Gilkit.Revision)
	verdicts := map[string]check.Verdict{}
	var ids []string
	for _, c := range rep.Claims {
		ids = append(ids, c.ID)
		v, ok := c.Verdicts[embed.BuildName()]
		require.True(t, ok, c.ID)
		assert.NotEmpty(t, v.Evidence, c.ID)
		verdicts[c.ID] = v
	}
	assert.ElementsMatch(t, []string{"cpu-threads-no-speedup", "io-threads-overlap", "multiprocessing-parallel", "release-gil-parallel",
		"asyncio-overlap", "io-threads-under-cpu-load", "refcount-4-5", "free-threaded-build", "nogil-single-thread-cost"}, ids)

	// The truth is what the plain python of this interpreter prints: 4 5 on
	// 3.11 and 3.13, a constant on 3.12 (immortal interned strings, PEP 683)
	// and on free-threaded builds.
	wantRefcount := "does not hold"
	if plainPythonOutput(t, filepath.Join(examples(""), "refcount.py")) == "4\n5\n" {
		wantRefcount = "holds"
	}
	assert.Equal(t, wantRefcount, verdicts["refcount-4-5"].Verdict, verdicts["refcount-4-5"].Evidence)
	if embed.FreeThreaded() {
		assert.Equal(t, "holds", verdicts["free-threaded-build"].Verdict, verdicts["free-threaded-build"].Evidence)
	} else {
		assert.Equal(t, "n/a", verdicts["free-threaded-build"].Verdict)
	}
	assert.Equal(t, "n/a", verdicts["multiprocessing-parallel"].Verdict, "processes were not in this run")
	assert.Contains(t, verdicts["multiprocessing-parallel"].Evidence, "not measured")

	// Threads that sleep overlap on any machine: the claim may be left
	// undecided by a busy or jittery machine, but it never fails.
	io := verdicts["io-threads-overlap"]
	assert.Contains(t, []string{"holds", "inconclusive"}, io.Verdict, io.Evidence)
	// Its pairs may be set aside as measured on a busy machine (go test
	// runs other packages' tests beside this one): all of them, or so many
	// that too few are left for an interval.
	assert.Regexp(t, `CS \d+\.\d\d–\d+\.\d\d|no interval yet, \d+ pairs? \(\d+ more set aside|not judged: all \d+ pairs of runs were measured on a busy machine`, io.Evidence)
	// With the GIL, an I/O-bound thread beside a CPU-bound one waits a
	// switch interval for the GIL after most round trips: it never keeps
	// half its idle rate (a loaded machine is flagged, not judged).
	under := verdicts["io-threads-under-cpu-load"]
	assert.Regexp(t, `% of idle \(\d+% CS|not judged`, under.Evidence)
	if !embed.FreeThreaded() {
		assert.NotEqual(t, "holds", under.Verdict, under.Evidence)
	}
	cpu := verdicts["cpu-threads-no-speedup"]
	assert.Contains(t, []string{"holds", "does not hold", "inconclusive"}, cpu.Verdict)
	assert.Regexp(t, `CS \d+\.\d\d–\d+\.\d\d|not judged`, cpu.Evidence, "a timed verdict shows its interval, or why it was not judged")
}

// plainPythonOutput runs file with the plain python binary of the linked
// interpreter (info's executable) and returns its stdout.
func plainPythonOutput(t *testing.T, file string) string {
	var info map[string]any
	require.NoError(t, json.Unmarshal([]byte(run(t, nil, "info", "--json").stdout), &info))
	exe, _ := info["executable"].(string)
	require.NotEmpty(t, exe, "info --json names the python binary")
	out, err := exec.Command(exe, file).Output()
	require.NoError(t, err, "%s %s", exe, file)
	return string(out)
}

// TestProbeEndToEnd runs both probes briefly on this interpreter and
// checks the --json shape of DESIGN.md and every other format.
func TestProbeEndToEnd(t *testing.T) {
	fast := []string{"probe", "--quick", "--examples", examples(""), "--runs", "2", "--warmup", "0", "--probe-duration", "30ms", "--cpu-threads", "0,1"}
	r := run(t, nil, append(fast, "--sweep", "50ms", "--json")...)
	require.Equal(t, 0, r.code, r.stderr)
	var rep struct {
		Latency []map[string]any `json:"latency"`
		IO      []map[string]any `json:"io"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Latency, 6, "goroutine and thread at 0 and 1 CPU threads (5ms), and at 50ms with 1")
	for _, row := range rep.Latency {
		assert.GreaterOrEqual(t, row["samples"], 10.0, "at least 5 a run (--quick), 2 runs")
	}
	require.Len(t, rep.IO, 2)
	probes := map[string]int{}
	for _, row := range rep.Latency {
		for _, key := range []string{"interpreter", "gilkit", "cpu_threads", "switch_interval_s", "probe", "p50_s", "p90_s", "p99_s", "max_s", "samples", "histogram", "other_load", "busy"} {
			assert.Contains(t, row, key)
		}
		probes[row["probe"].(string)]++
		assert.Positive(t, row["p50_s"])
		assert.LessOrEqual(t, row["p50_s"], row["p99_s"])
	}
	assert.Equal(t, map[string]int{"goroutine": 3, "thread": 3}, probes)
	for _, row := range rep.IO {
		for _, key := range []string{"interpreter", "cpu_threads", "roundtrips_per_s", "percent_of_idle", "other_load", "busy"} {
			assert.Contains(t, row, key)
		}
		assert.Positive(t, row["roundtrips_per_s"])
	}
	for format, want := range map[string]string{"--format=table": "GIL probe: latency", "--csv": "p99_s", "--markdown": "| python | probe |", "--gobench": "BenchmarkProbe/probe=latency-goroutine/cpu=1/switch=5ms"} {
		r := run(t, nil, append(fast, format, "--probe", "latency", "--sweep", "none")...)
		require.Equal(t, 0, r.code, "%s: %s", format, r.stderr)
		assert.Contains(t, r.stdout, want, format)
	}
	saved := filepath.Join(t.TempDir(), "probe.json")
	r = run(t, nil, append(fast, "--probe", "io", "--sweep", "none", "--save", saved)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "GIL probe: I/O round trips")
	rep2 := run(t, nil, "report", "--results", saved, "--out", t.TempDir())
	assert.Equal(t, 0, rep2.code, rep2.stderr)
}

// TestCompareScriptsAndProbes: user scripts (CPU-bound, I/O-bound, one
// whose setup fails) and the probes go through compare's workers; the
// broken script says why in every cell and the others run.
func TestCompareScriptsAndProbes(t *testing.T) {
	cpu := writeScript(t, "def work(i, n):\n    k = 20000 // n\n    while k:\n        k -= 1\n")
	io := filepath.Join(t.TempDir(), "io.py")
	require.NoError(t, os.WriteFile(io, []byte("import time\n\ndef work(i, n):\n    time.sleep(0.005)\n"), 0o644))
	broken, err := filepath.Abs("../bench/testdata/scripts/setup_raises.py")
	require.NoError(t, err)
	saved := filepath.Join(t.TempDir(), "compare.json")
	args := []string{"compare", "--pythons", compareTargets(), "--examples", examples(""), "--runs", "2", "--warmup", "0",
		"--script", cpu, "--script", io, "--script", broken, "--workload", "probes", "--mode", "serial,threads,processes", "--workers", "1,2",
		"--cpu-threads", "0,1", "--sweep", "none", "--probe-duration", "30ms", "--save", saved}
	r := run(t, nil, args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `script\.py\s+threads\s+2\s+\d`, r.stdout, "the CPU-bound script ran")
	assert.Regexp(t, `io\.py\s+processes\s+2\s+\d`, r.stdout, "the I/O-bound script ran in worker processes too")
	assert.Regexp(t, `setup_raises\.py\s+threads\s+1\s+skipped \[\d\]`, r.stdout)
	assert.Contains(t, r.stdout, "setup_raises.py: setup() raised ConnectionError: cannot reach the database (setup_raises.py, line 5)")
	assert.Contains(t, r.stdout, "probe-latency goroutine, 1 CPU thread, switch 5ms")
	assert.Contains(t, r.stdout, embed.BuildName()+" p50 / p99")
	assert.Contains(t, r.stdout, "Summary: free-threaded builds against the GIL build, per workload")
	rs, err := os.ReadFile(saved)
	require.NoError(t, err)
	assert.Contains(t, string(rs), `"probes": [`, "probe results are saved beside the others")
	assert.Contains(t, string(rs), `"scripts": {`, "the scripts' paths are recorded with the results")
	assert.Contains(t, string(rs), `"gilkit": {`, "each worker's gilkit is recorded with its results")
}

// TestVersion: gilctl version and --version name gilkit's version and
// revision and the interpreter the binary loads; a build with no stamp
// says unknown, one stamped as build-gilctl.sh stamps it says the commit.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := run(t, []string{"PYTHON_GIL="}, args...)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Empty(t, r.stderr)
		assert.Regexp(t, `^gilctl-`+regexp.QuoteMeta(embed.BuildName())+` unknown\n  revision  unknown\n  CPython   3\.\d+\.\d+\S*, (GIL|free-threaded) build \(/\S+libpython3\.\d+t?\.so\S*\)\n  Go        go\S+ linux/\w+\n$`, r.stdout)
	}
	r := run(t, nil, "version", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var v struct {
		Gilkit      map[string]any `json:"gilkit"`
		Interpreter map[string]any `json:"interpreter"`
		Go          string         `json:"go"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
	assert.Equal(t, map[string]any{"version": "unknown", "revision": "unknown"}, v.Gilkit)
	assert.Equal(t, embed.BuildName(), v.Interpreter["name"])
	assert.Equal(t, embed.FreeThreaded(), v.Interpreter["free_threaded"])
	assert.Contains(t, v.Interpreter["libpython"], "libpython")

	// Stamped as scripts/build-gilctl.sh stamps, from this repository.
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	ldflags, err := exec.Command(filepath.Join(root, "scripts", "gilkit-stamp.sh"), "--ldflags", root).Output()
	require.NoError(t, err)
	head, gitErr := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if gitErr != nil || len(ldflags) == 0 {
		t.Skip("no git repository here: nothing to stamp")
	}
	stamped := filepath.Join(t.TempDir(), "gilctl-"+embed.BuildName())
	out, err := exec.Command("go", "build", "-buildvcs=false", "-ldflags="+strings.TrimSpace(string(ldflags)), "-o", stamped, "github.com/gilkit/gilkit/gilctl").CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(stamped, "version", "--json").Output()
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &v))
	assert.Equal(t, strings.TrimSpace(string(head)), v.Gilkit["revision"])
	assert.Regexp(t, `^v\d+\.\d+\.\d+`, v.Gilkit["version"])
	assert.Contains(t, v.Gilkit, "modified")
}
