package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// The Go workloads run where the module gilkit exists (the embedded
// interpreter, from threads and goroutines) and say why elsewhere, in the
// words of the ImportError there.
func TestGoWorkloadsRunInTheEmbeddedInterpreter(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	info, err := in.Info()
	require.NoError(t, err)
	rs := drive(t, smallSpec([]string{"go-release", "go-held"}, results.Modes(), 1, 2))
	require.Len(t, rs, 2*len(results.Modes())*2)
	for _, res := range rs {
		t.Run(res.Cell.String(), func(t *testing.T) {
			switch res.Mode {
			case "processes":
				assert.Contains(t, res.Skipped, "No module named 'gilkit'")
			case "subinterpreters":
				if version(t, info.Version).AtLeast(results.Version{3, 12, 0}) {
					assert.Contains(t, res.Skipped, "does not support loading in subinterpreters")
				} else {
					assert.Contains(t, res.Skipped, "3.12 or newer")
				}
			default:
				require.Empty(t, res.Skipped)
				assert.Positive(t, res.WallS.Median)
				assert.Len(t, res.PerWorker, res.Workers)
			}
		})
	}
}

func TestGopyWorkloadSaysWhyItCannotRun(t *testing.T) {
	broken := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(broken, "error"), []byte("cmd had error: exit status 1\n  some gopy failure\n"), 0o644))
	tests := []struct {
		name, dir string
		mode      results.Mode
		want      string
	}{
		{"no build", t.TempDir(), "threads", "no gopy build in"},
		{"gopy failed", broken, "serial", "gopy could not build the extension for this python: cmd had error: exit status 1 | some gopy failure"},
		{"goroutines", t.TempDir(), "goroutines", "modes serial and threads only"},
		{"processes", t.TempDir(), "processes", "modes serial and threads only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GILKIT_GOPY", tc.dir) // read by the plain python gilbench.py runs in
			r := newRunner(t, smallSpec(nil, nil, 1))
			reason, err := r.Unavailable(results.Cell{Workload: results.Gopy, Mode: tc.mode, Workers: 2})
			require.NoError(t, err)
			assert.Contains(t, reason, tc.want)
		})
	}
}

// With a gopy build in gilkit's cache (make gopy), the workload runs in a
// plain python process and reports the same figures as the other
// workloads; without one it says so.
func TestGopyWorkloadRunsInAPlainPython(t *testing.T) {
	rs := drive(t, smallSpec([]string{results.Gopy}, []results.Mode{"serial", "threads"}, 2))
	require.Len(t, rs, 2)
	for _, res := range rs {
		if res.Skipped != "" {
			assert.Regexp(t, "no gopy build|gopy could not build", res.Skipped)
			continue
		}
		assert.Positive(t, res.WallS.Median, "%s", res.Cell)
		assert.Len(t, res.PerWorker, 2)
		assert.Positive(t, res.CPUS.Median, "the python process's threads' CPU time is counted")
	}
}
