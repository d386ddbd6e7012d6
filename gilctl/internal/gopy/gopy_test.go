package gopy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests build the real extension with the real gopy for the interpreter
// `make test` selected (scripts/with-python.sh sets GILKIT_PYTHON and
// PKG_CONFIG_PATH), once into gilkit's cache, and run it in real python
// processes. Expect ~10 s per interpreter on the first run (plus ~1 minute
// once to build gopy and goimports), a few seconds later.

// repoRoot is the repository holding this file.
func repoRoot(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// interpreter is the NAME and PREFIX `make test` is running with.
func interpreter(t *testing.T) (name, prefix string) {
	name = os.Getenv("GILKIT_PYTHON")
	if name == "" {
		t.Skip("GILKIT_PYTHON is not set: run through `make test` (scripts/with-python.sh NAME PREFIX go test ./...)")
	}
	out, err := exec.Command("pkg-config", "--variable=prefix", "python3-embed").Output()
	require.NoError(t, err, "pkg-config --variable=prefix python3-embed")
	return name, strings.TrimSpace(string(out))
}

func ctxFor(t *testing.T) context.Context {
	// Generous: it only proves that a build and a run return at all.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func ensure(t *testing.T, src Source) Build {
	name, prefix := interpreter(t)
	b, err := src.Ensure(ctxFor(t), name, prefix)
	require.NoError(t, err, "gopy must build for %s (it does for 3.11-3.13 and 3.13t here)", name)
	require.DirExists(t, filepath.Join(b.Dir, "gopyext"))
	matches, _ := filepath.Glob(filepath.Join(b.Dir, "gopyext", "_gopyext*.so"))
	require.Len(t, matches, 1, "the extension module")
	return b
}

// gilWant is sys._is_gil_enabled() before and after importing the extension,
// and whether CPython warned that the import enabled the GIL.
type gilWant struct{ before, after, warned bool }

type gilCase struct {
	name string
	gil  string // PYTHON_GIL for the python process
	want gilWant
}

// What importing the extension does, per kind of interpreter and PYTHON_GIL,
// as the README documents it.
func TestImportAndGILState(t *testing.T) {
	src := Source{Root: repoRoot(t)}
	b := ensure(t, src)
	freeThreaded := strings.HasSuffix(strings.TrimSuffix(b.Name, "+gil"), "t")
	cases := []gilCase{{"GIL build", "", gilWant{before: true, after: true}}}
	if freeThreaded {
		cases = []gilCase{
			// gopy's module has no Py_mod_gil slot: importing it turns the GIL on.
			{"free-threaded, PYTHON_GIL unset", "", gilWant{before: false, after: true, warned: true}},
			{"free-threaded, PYTHON_GIL=1", "1", gilWant{before: true, after: true}},
			// Forced off "at your own risk": the GIL stays off and the calls still work.
			{"free-threaded, PYTHON_GIL=0", "0", gilWant{before: false, after: false}},
		}
		if strings.HasSuffix(b.Name, "+gil") {
			cases = cases[1:2] // NAME+gil runs with PYTHON_GIL=1 already
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := src.Measure(ctxFor(t), b, Options{Count: 250_000_000, MiB: 8, Runs: 1, GIL: tc.gil})
			require.NoError(t, err)

			assert.Equal(t, freeThreaded, r.Python.FreeThreaded, "the build the script saw")
			assert.Equal(t, tc.want.before, r.GILEnabledBeforeImport, "GIL before import")
			assert.Equal(t, tc.want.after, r.GILEnabledAfterImport, "GIL after import")
			if tc.want.warned {
				require.Len(t, r.ImportWarnings, 1)
				assert.Contains(t, r.ImportWarnings[0], "has been enabled to load module 'gopyext._gopyext'")
			} else {
				assert.Empty(t, r.ImportWarnings)
			}

			// Results agree with Python: Measure fails otherwise, and every
			// check ran, bad arguments included.
			assert.Empty(t, r.Failed())
			assert.GreaterOrEqual(t, len(r.Checks), 12)
			whats := map[string]Check{}
			for _, c := range r.Checks {
				whats[c.What] = c
			}
			assert.Contains(t, whats, "Countdown(10000000) == 0")
			assert.Contains(t, whats, "Countdown(18446744073709551616) raises OverflowError")
			// A third opinion on the hash, from Go's crypto/sha256 here.
			h := []byte("gilkit")
			for range 1000 {
				d := sha256.Sum256(h)
				h = d[:]
			}
			require.Contains(t, whats, "HashLoop('gilkit', 1000) == hashlib's")
			assert.Contains(t, whats["HashLoop('gilkit', 1000) == hashlib's"].Detail, "got "+hex.EncodeToString(h))

			// gopy's wrapper releases the GIL around the Go call, and
			// nothing serializes two Go calls; the control (sum over a
			// range, in C) holds the GIL wherever one is on.
			for _, p := range []string{"go", "go+go"} {
				probe := r.GILProbe[p]
				assert.True(t, probe.OtherThreadRan, "%s: another Python thread stalled %.3f s during a %.3f s Go call",
					p, probe.LongestStallS, probe.CallS)
			}
			control := r.GILProbe["sum"]
			assert.Equal(t, !tc.want.after, control.OtherThreadRan, "control: stall %.3f s during a %.3f s call",
				control.LongestStallS, control.CallS)

			// The timed cells ran and produced walls (no bound on speed: the
			// machine is shared).
			for _, w := range []string{"go", "hashlib"} {
				require.Contains(t, r.Workloads, w)
				for _, n := range []string{"1", "2"} {
					assert.Greater(t, r.Workloads[w].WallS[n].Median, 0.0, "%s with %s threads", w, n)
				}
			}
		})
	}
}

// A second Ensure finds the build in the cache.
func TestEnsureIsCached(t *testing.T) {
	src := Source{Root: repoRoot(t)}
	first := ensure(t, src)
	start := time.Now()
	second := ensure(t, src)
	assert.Equal(t, first.Dir, second.Dir)
	assert.Less(t, time.Since(start), 2*time.Minute, "a cached build returns without rebuilding")
}

// sharedCache is a fresh gilkit cache that shares the real one's gopy tools
// and pybindgen (so a test does not rebuild them) but has no builds.
func sharedCache(t *testing.T, src Source) string {
	ensure(t, src) // the real cache holds the tools from here on
	real := os.Getenv("GILKIT_CACHE")
	if real == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			require.NoError(t, err)
			base = filepath.Join(home, ".cache")
		}
		real = filepath.Join(base, "gilkit")
	}
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "gopy"), 0o755))
	for _, sub := range []string{"tools", "pybindgen"} {
		require.NoError(t, os.Symlink(filepath.Join(real, "gopy", sub), filepath.Join(dir, "gopy", sub)))
	}
	return dir
}

// When gopy cannot build, Ensure and the example say so with gopy's own
// error. The failure is real: GOPY_PYLIB is gopy's own knob for the library
// to link, here one that does not exist.
func TestUnavailableCarriesGopysError(t *testing.T) {
	src := Source{Root: repoRoot(t)}
	cache := sharedCache(t, src)
	broken := Source{Root: src.Root, Env: []string{"GILKIT_CACHE=" + cache, "GOPY_PYLIB=gilkit_no_such_lib"}}
	name, prefix := interpreter(t)

	b, err := broken.Ensure(ctxFor(t), name, prefix)
	var un *UnavailableError
	require.True(t, errors.As(err, &un), "want *UnavailableError, got %v", err)
	assert.Equal(t, name, un.Name)
	assert.Contains(t, un.Reason, "cannot find -lgilkit_no_such_lib", "the linker's words, through gopy")
	assert.Contains(t, un.Reason, "cmd had error", "gopy's own report")
	assert.Contains(t, err.Error(), "not available")

	// The example, pointed at that cache, says the same and exits 2.
	_, err = broken.Measure(ctxFor(t), b, Options{Runs: 1})
	require.True(t, errors.As(err, &un), "want *UnavailableError, got %v", err)
	assert.Contains(t, un.Reason, "gopy could not build it")
	assert.Contains(t, un.Reason, "cannot find -lgilkit_no_such_lib")
}

// Without any build, the example says how to get one instead of failing
// with an ImportError.
func TestExampleSaysWhenNotBuilt(t *testing.T) {
	src := Source{Root: repoRoot(t)}
	name, prefix := interpreter(t)
	empty := Source{Root: src.Root, Env: []string{"GILKIT_CACHE=" + t.TempDir(), "GILKIT_GOPY="}}
	b := Build{Name: name, Prefix: prefix, Python: filepath.Join(prefix, "bin", "python"+strings.TrimSuffix(name, "+gil"))}
	cmd := exec.Command(b.Python, empty.Example())
	cmd.Env = append(os.Environ(), empty.Env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "want exit status 2, got %v\n%s", err, out)
	assert.Equal(t, exampleUnavailable, exit.ExitCode())
	assert.Contains(t, string(out), "gopyext is not available for python")
	assert.Contains(t, string(out), "make gopy")
	assert.NotContains(t, string(out), "Traceback")
}
