package bench

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

func scriptPath(t *testing.T, rel string) string {
	_, file, _, _ := runtime.Caller(0)
	p, err := filepath.Abs(filepath.Join(filepath.Dir(file), rel))
	require.NoError(t, err)
	return p
}

// scriptSpec runs the given scripts (workload = base name) in modes.
func scriptSpec(t *testing.T, paths []string, modes []results.Mode, workers ...int) matrix.Spec {
	s := smallSpec(nil, modes, workers...)
	s.Params.Scripts = map[string]string{}
	for _, p := range paths {
		s.Workloads = append(s.Workloads, filepath.Base(p))
		s.Params.Scripts[filepath.Base(p)] = p
	}
	return s
}

func subinterpretersExist(t *testing.T) bool {
	in, err := embed.Default()
	require.NoError(t, err)
	info, err := in.Info()
	require.NoError(t, err)
	return version(t, info.Version).AtLeast(results.Version{3, 12, 0})
}

// TestUserScriptsRunInEveryMode runs the example user scripts (CPU-bound
// and I/O-bound) through every mode, processes and subinterpreters
// included, which import the file anew and run setup() there.
func TestUserScriptsRunInEveryMode(t *testing.T) {
	paths := []string{scriptPath(t, "../../../pyexamples/scripts/cpu_bound.py"), scriptPath(t, "../../../pyexamples/scripts/io_bound.py")}
	rs := drive(t, scriptSpec(t, paths, results.Modes(), 1, 2))
	require.Len(t, rs, 2*len(results.Modes())*2)
	for _, r := range rs {
		if r.Mode == "subinterpreters" && !subinterpretersExist(t) {
			continue
		}
		assert.Empty(t, r.Skipped, "%s", r.Cell)
		assert.True(t, r.Measured(), "%s", r.Cell)
		assert.Len(t, r.PerWorker, r.Workers, "%s: per-worker accounting", r.Cell)
	}
	ix := results.NewIndex(rs)
	io, ok := ix.Get(rs[0].Interpreter.Name, results.Cell{Workload: "io_bound.py", Mode: "serial", Workers: 1})
	require.True(t, ok)
	assert.GreaterOrEqual(t, io.WallS.Min, 16*0.005, "16 waits of 5 ms one after another")
	w, ok := io.Waiting()
	require.True(t, ok)
	assert.Greater(t, w, 0.5, "an I/O-bound worker spends most of its time off the CPU")
}

// TestBrokenScriptsSayWhyPerCell: a script that cannot run gets a clear
// reason in every cell it cannot run in, and the other cells still run.
func TestBrokenScriptsSayWhyPerCell(t *testing.T) {
	dir := scriptPath(t, "testdata/scripts")
	cases := []struct {
		file string
		// want is the reason (contained) per mode; "" = runs.
		want map[results.Mode]string
	}{
		{"syntax_error.py", allModes("syntax_error.py cannot be imported: SyntaxError: expected ':' (syntax_error.py, line 3)")},
		{"no_work.py", allModes("no_work.py defines no work(i, n) function")},
		{"wrong_signature.py", allModes("work must take two arguments, work(i, n) (it is work(i))")},
		{"setup_raises.py", allModes("setup_raises.py: setup() raised ConnectionError: cannot reach the database (setup_raises.py, line 5)")},
		{"exits.py", allModes("exits.py cannot be imported")},
		{"work_raises.py", map[results.Mode]string{
			"serial": "failed: ", "threads": "failed: ", "goroutines": "failed: ", "processes": "failed: ", "subinterpreters": "failed: ",
		}},
		{"parent_only.py", map[results.Mode]string{
			"processes": "parent_only.py cannot be imported in a worker process (started with spawn: it imports the file anew): ImportError: this script may only be imported once, by the main process (parent_only.py, line 7)",
		}},
		{"daemon_setup.py", map[results.Mode]string{"subinterpreters": "daemon_setup.py: setup() raised RuntimeError"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			rs := drive(t, scriptSpec(t, []string{filepath.Join(dir, tc.file)}, results.Modes(), 2))
			require.Len(t, rs, len(results.Modes()))
			for _, r := range rs {
				if r.Mode == "subinterpreters" && !subinterpretersExist(t) {
					assert.Contains(t, r.Skipped, "3.12 or newer")
					continue
				}
				want := tc.want[r.Mode]
				if want == "" {
					assert.Empty(t, r.Skipped, "%s", r.Cell)
					continue
				}
				assert.Contains(t, r.Skipped, want, "%s", r.Cell)
				if tc.file == "work_raises.py" {
					assert.Contains(t, r.Skipped, "work(1, 2) raised ZeroDivisionError: division by zero (work_raises.py, line 6)")
				}
				if tc.file == "exits.py" {
					assert.Contains(t, r.Skipped, "SystemExit(3)")
				}
			}
		})
	}
}

func allModes(reason string) map[results.Mode]string {
	m := map[results.Mode]string{}
	for _, mode := range results.Modes() {
		m[mode] = reason
	}
	return m
}

func TestMissingScriptFileSaysSo(t *testing.T) {
	rs := drive(t, scriptSpec(t, []string{"/nonexistent/gone.py"}, []results.Mode{"serial"}, 1))
	assert.Equal(t, "/nonexistent/gone.py: no such file", rs[0].Skipped)
}
