package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// The differential test: every case of testdata/hostile runs with
// `gilctl run` and with the python binary of the same interpreter, with
// the same command line, environment and input; stdout, stderr and the exit
// status must be equal, unless the table of differences beside the cases
// (testdata/hostile/DIFFERENCES.md) lists the case. Cases with a `timeout` directive check --timeout instead.

// caseDeadline bounds every run: a run that needs it is a failure (and a
// hang is the worst kind of difference from python).
const caseDeadline = 90 * time.Second

// timeoutSlack is added to --timeout + 3 s for the timeout cases: the bound
// proves that the run ends, without timing a loaded machine.
const timeoutSlack = 10 * time.Second

// minCorpus is the smallest corpus the issue accepts.
const minCorpus = 60

// interpreterVariant is one way to run the interpreter this test binary
// links: free-threaded builds run with the GIL off and forced on.
type interpreterVariant struct {
	name string
	env  []string
}

// interpreterVariants lists the runs for the linked interpreter, explicitly:
// 3.12 -> 3.12; 3.13 -> 3.13; 3.13t -> 3.13t and 3.13t+gil (PYTHON_GIL=1).
func interpreterVariants() []interpreterVariant {
	name := embed.BuildName()
	if !embed.FreeThreaded() {
		return []interpreterVariant{{name: name}}
	}
	return []interpreterVariant{{name: name}, {name: name + "+gil", env: []string{"PYTHON_GIL=1"}}}
}

func hostileDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "hostile")
}

// pythonBinary is the python executable of the linked libpython.
func pythonBinary(t *testing.T) string {
	var info struct {
		Executable string `json:"executable"`
	}
	r := run(t, nil, "info", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &info))
	require.FileExists(t, info.Executable)
	return info.Executable
}

func TestHostileCorpus(t *testing.T) {
	cases, err := loadHostileCases(hostileDir())
	require.NoError(t, err)
	if pattern := os.Getenv("GILKIT_HOSTILE"); pattern != "" {
		// A quicker loop while working on some cases: GILKIT_HOSTILE=signal_
		re := regexp.MustCompile(pattern)
		cases = slices.DeleteFunc(cases, func(c *hostileCase) bool { return !re.MatchString(c.name) })
		t.Logf("GILKIT_HOSTILE=%s: %d cases", pattern, len(cases))
	}
	differential := 0
	for _, c := range cases {
		if c.timeout == 0 {
			differential++
		}
	}
	if os.Getenv("GILKIT_HOSTILE") == "" {
		require.GreaterOrEqual(t, differential, minCorpus, "the differential corpus is too small")
	}
	docs, err := loadDocumentedDifferences(differencesPath())
	require.NoError(t, err)
	for name := range docs {
		if os.Getenv("GILKIT_HOSTILE") != "" {
			break // only some cases were loaded
		}
		found := false
		for _, c := range cases {
			found = found || c.name == name
		}
		assert.True(t, found, "DIFFERENCES.md lists a difference for %q, which is not a case", name)
	}
	python := pythonBinary(t)

	for _, v := range interpreterVariants() {
		t.Run(v.name, func(t *testing.T) {
			outcomes := runCorpus(t, cases, python, v)
			var passed, documented, failed []string
			for _, c := range cases {
				o := outcomes[c.name]
				ok := t.Run(c.name, func(t *testing.T) {
					if c.timeout > 0 {
						checkTimeoutCase(t, c, o.gilctl, func() processRun { return runCase(t, c, python, v).gilctl })
					} else {
						checkDifferential(t, c, o, docs[c.name].covers(v.name))
					}
				})
				switch {
				case !ok:
					failed = append(failed, c.name)
				case docs[c.name].covers(v.name) != nil:
					documented = append(documented, c.name)
				default:
					passed = append(passed, c.name)
				}
			}
			fmt.Printf("hostile corpus on %s: %d cases (%d differential, %d timeout), %d pass, %d pass within documented differences, %d fail %v\n",
				v.name, len(cases), differential, len(cases)-differential, len(passed), len(documented), len(failed), failed)
		})
	}
}

// caseOutcome holds the runs of one case.
type caseOutcome struct {
	python, gilctl processRun
}

// runCorpus runs every case, several at a time (most of a run is waiting).
func runCorpus(t *testing.T, cases []*hostileCase, python string, v interpreterVariant) map[string]caseOutcome {
	outcomes := make(map[string]caseOutcome, len(cases))
	var mu sync.Mutex
	sem := make(chan struct{}, max(4, 2*runtime.NumCPU()))
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := runCase(t, c, python, v)
			mu.Lock()
			outcomes[c.name] = o
			mu.Unlock()
		}()
	}
	wg.Wait()
	return outcomes
}

func runCase(t *testing.T, c *hostileCase, python string, v interpreterVariant) caseOutcome {
	dir, err := os.MkdirTemp("", "gilkit-hostile-")
	if err != nil {
		return caseOutcome{gilctl: processRun{err: err}}
	}
	defer os.RemoveAll(dir)
	args, stdin, err := c.prepare(dir)
	if err != nil {
		return caseOutcome{gilctl: processRun{err: err}}
	}
	spec := runSpec{env: c.environ(dir, v.env), dir: dir, stdin: stdin, closedFDs: c.closedFDs, ulimitS: c.ulimitS, deadline: caseDeadline}
	var o caseOutcome
	if c.timeout > 0 {
		spec.argv = append([]string{gilctl, "run", "--timeout", c.timeout.String()}, args...)
		o.gilctl = runProcess(spec)
		return o
	}
	spec.argv = append([]string{python}, args...)
	o.python = runProcess(spec)
	spec.argv = append([]string{gilctl, "run"}, args...)
	o.gilctl = runProcess(spec)
	return o
}

func checkDifferential(t *testing.T, c *hostileCase, o caseOutcome, doc *documentedDifference) {
	require.NoError(t, o.python.err, "running python")
	require.NoError(t, o.gilctl.err, "running gilctl")
	require.False(t, o.python.overdue, "python did not finish within %v", caseDeadline)
	require.False(t, o.gilctl.overdue, "gilctl run did not finish within %v (python took %v)", caseDeadline, o.python.elapsed)
	t.Logf("python %v, gilctl run %v", o.python.elapsed.Round(time.Millisecond), o.gilctl.elapsed.Round(time.Millisecond))
	aspects := []struct{ name, python, gilctl string }{
		{"status", o.python.status, o.gilctl.status},
		{"stdout", normalize(o.python.stdout), normalize(o.gilctl.stdout)},
		{"stderr", normalize(o.python.stderr), normalize(o.gilctl.stderr)},
	}
	for _, a := range aspects {
		if doc != nil && doc.differsIn[a.name] {
			if a.python != a.gilctl {
				t.Logf("documented difference in %s (%s):\npython: %q\ngilctl: %q", a.name, doc.reason, a.python, a.gilctl)
			}
			continue
		}
		assert.Equal(t, a.python, a.gilctl, "%s differs from python", a.name)
	}
}

// abandonedNote is what gilctl run adds when the program did not end
// within its grace period after the timeout interrupted it.
const abandonedNote = "of being interrupted: stopped without waiting for it"

// checkTimeoutCase checks a run of gilctl run --timeout. Cases run four at
// a time, most of them CPU-bound, beside other packages' tests: a program
// can then be starved past its grace period, and what it would print after
// the interrupt (atexit output) is lost by design. Such a run is repeated
// once, alone, and judged by that run: a program that is never interrupted
// in time still fails.
func checkTimeoutCase(t *testing.T, c *hostileCase, r processRun, rerun func() processRun) {
	require.NoError(t, r.err)
	if c.stdout != nil && r.stdout != *c.stdout && strings.Contains(r.stderr, abandonedNote) {
		t.Logf("abandoned after its grace period beside other runs (stdout %q, stderr %q): running it again alone", r.stdout, r.stderr)
		assert.True(t, strings.HasPrefix(*c.stdout, r.stdout), "what it printed before the timeout must be kept: %q", r.stdout)
		r = rerun()
		require.NoError(t, r.err)
	}
	bound := c.timeout + 3*time.Second + timeoutSlack
	assert.False(t, r.overdue, "the run was killed by the harness after %v", caseDeadline)
	assert.Less(t, r.elapsed, bound, "the run outlived --timeout by far")
	t.Logf("ended after %v (--timeout %v)", r.elapsed.Round(time.Millisecond), c.timeout)
	assert.Equal(t, "exit 124", r.status, "stderr: %s", r.stderr)
	assert.Contains(t, r.stderr, "timed out after "+c.timeout.String())
	if c.stdout != nil {
		assert.Equal(t, *c.stdout, r.stdout, "what the program printed before it was stopped")
	}
}

// documentedDifference is a row of the table of differences.
type documentedDifference struct {
	interpreters map[string]bool // nil: all
	differsIn    map[string]bool // stdout, stderr, status
	reason       string
}

// covers returns d when it applies to the interpreter variant.
func (d *documentedDifference) covers(variant string) *documentedDifference {
	if d == nil || (d.interpreters != nil && !d.interpreters[variant]) {
		return nil
	}
	return d
}

// differencesPath is the corpus's own table of the differences from python
// it accepts; the docs link to it.
func differencesPath() string { return filepath.Join(hostileDir(), "DIFFERENCES.md") }

// loadDocumentedDifferences parses the file's table:
// | `case` | interpreters (all, or names) | differs in (stdout, stderr, status) | why |
func loadDocumentedDifferences(path string) (map[string]*documentedDifference, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	docs := map[string]*documentedDifference{}
	inTable := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 4 {
			return nil, fmt.Errorf("%s: %q is not a row of 4 cells (case, interpreters, differs in, why)", path, line)
		}
		if !strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
			continue // the header and its rule
		}
		name := strings.Trim(strings.TrimSpace(cells[0]), "`")
		d := &documentedDifference{differsIn: map[string]bool{}, reason: strings.TrimSpace(cells[3])}
		if ints := strings.TrimSpace(cells[1]); ints != "all" {
			d.interpreters = map[string]bool{}
			for _, n := range strings.Split(ints, ",") {
				d.interpreters[strings.TrimSpace(n)] = true
			}
		}
		for _, a := range strings.Split(cells[2], ",") {
			a = strings.TrimSpace(a)
			if a != "stdout" && a != "stderr" && a != "status" {
				return nil, fmt.Errorf("%s: difference %s: %q is not stdout, stderr or status", path, name, a)
			}
			d.differsIn[a] = true
		}
		if d.reason == "" {
			return nil, fmt.Errorf("%s: difference %s gives no reason", path, name)
		}
		docs[name] = d
	}
	if !inTable {
		return nil, fmt.Errorf("%s holds no table of differences", path)
	}
	return docs, nil
}

// TestDocumentedDifferences reads the corpus's table, and refuses rows it
// cannot use rather than skipping them.
func TestDocumentedDifferences(t *testing.T) {
	docs, err := loadDocumentedDifferences(differencesPath())
	require.NoError(t, err)
	require.Contains(t, docs, "os_thread_count")
	assert.True(t, docs["signal_sigterm_twice_ignored"].differsIn["status"])
	assert.Nil(t, docs["os_thread_count"].interpreters, "all")

	dir := t.TempDir()
	for _, tc := range []struct{ name, table, want string }{
		{"no table", "# Differences\n\nnone yet\n", "holds no table of differences"},
		{"bad aspect", "| case | i | d | why |\n|---|---|---|---|\n| `x` | all | exit code | because |\n", `"exit code" is not stdout, stderr or status`},
		{"no reason", "| case | i | d | why |\n|---|---|---|---|\n| `x` | 3.12 | stdout |  |\n", "difference x gives no reason"},
		{"short row", "| case | i | d | why |\n|---|---|---|---|\n| `x` | all | stdout |\n", "is not a row of 4 cells"},
	} {
		path := filepath.Join(dir, tc.name+".md")
		require.NoError(t, os.WriteFile(path, []byte(tc.table), 0o644))
		_, err := loadDocumentedDifferences(path)
		assert.ErrorContains(t, err, tc.want, tc.name)
	}
	path := filepath.Join(dir, "some.md")
	require.NoError(t, os.WriteFile(path, []byte("| case | i | d | why |\n|---|---|---|---|\n| `x` | 3.13t, 3.13t+gil | stdout, stderr | because |\n"), 0o644))
	docs, err = loadDocumentedDifferences(path)
	require.NoError(t, err)
	assert.Equal(t, &documentedDifference{interpreters: map[string]bool{"3.13t": true, "3.13t+gil": true}, differsIn: map[string]bool{"stdout": true, "stderr": true}, reason: "because"}, docs["x"])
	assert.Nil(t, docs["x"].covers("3.12"))
}
