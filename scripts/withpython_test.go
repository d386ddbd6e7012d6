package scripts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// with-python.sh must refuse a prefix that is not the interpreter its name
// says, before running anything: cgo would otherwise build against
// whatever python3-embed pkg-config finds next (the system's), silently.
func TestWithPythonRefusesWrongPrefix(t *testing.T) {
	tests := []struct {
		name   string
		abi    string
		prefix func(t *testing.T, dir string) string
		want   string // "" = accepted
	}{
		{"the interpreter it names", "3.99", func(t *testing.T, dir string) string {
			return goodPrefix(t, dir, "3.99", "3.99.1")
		}, ""},
		{"no such folder", "3.99", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "missing")
		}, "no such directory"},
		{"no pkg-config files at all", "3.99", func(t *testing.T, dir string) string {
			return fakePrefix(t, dir, prefixSpec{libFile: "libpython3.99.so"})
		}, "it has no lib/pkgconfig/python-3.99-embed.pc (found: no .pc files)"},
		{"a GIL build named as free-threaded", "3.99t", func(t *testing.T, dir string) string {
			return goodPrefix(t, dir, "3.99", "3.99.1")
		}, "it has no lib/pkgconfig/python-3.99t-embed.pc (found: python-3.99-embed.pc python3-embed.pc)"},
		{"an embed file of another version", "3.99", func(t *testing.T, dir string) string {
			return fakePrefix(t, dir, prefixSpec{pcName: "python-3.99-embed", pcVersion: "3.98", lib: "python3.99", libFile: "libpython3.99.so", python3pc: true})
		}, "its python3-embed.pc says version 3.98, not 3.99"},
		{"a free-threaded library behind the GIL name", "3.99", func(t *testing.T, dir string) string {
			return fakePrefix(t, dir, prefixSpec{pcName: "python-3.99-embed", pcVersion: "3.99", lib: "python3.99t", libFile: "libpython3.99.so", python3pc: true})
		}, "its python3-embed.pc links -lpython3.99t, not -lpython3.99 (a free-threaded build: name it 3.99t)"},
		{"no python3-embed.pc, so pkg-config would look elsewhere", "3.99", func(t *testing.T, dir string) string {
			return fakePrefix(t, dir, prefixSpec{pcName: "python-3.99-embed", pcVersion: "3.99", lib: "python3.99", libFile: "libpython3.99.so"})
		}, "it has no lib/pkgconfig/python3-embed.pc, so pkg-config resolves python3-embed to"},
		{"no shared library", "3.99", func(t *testing.T, dir string) string {
			return fakePrefix(t, dir, prefixSpec{pcName: "python-3.99-embed", pcVersion: "3.99", lib: "python3.99", python3pc: true})
		}, "it has no lib/libpython3.99.so"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := tc.prefix(t, t.TempDir())
			marker := filepath.Join(t.TempDir(), "ran")
			r := script(t, nil, "with-python.sh", tc.abi, prefix, "touch", marker)
			if tc.want == "" {
				require.Equal(t, 0, r.code, r.stderr)
				assert.FileExists(t, marker)
				return
			}
			assert.Equal(t, 1, r.code)
			assert.Contains(t, r.stderr, "refusing "+prefix+" as CPython "+tc.abi+": "+tc.want)
			assert.NoFileExists(t, marker, "the command must not run")

			check := script(t, nil, "with-python.sh", "--check", tc.abi, prefix)
			assert.Equal(t, 1, check.code, "--check agrees")
			assert.Equal(t, r.stderr, check.stderr)
		})
	}
}

// The case from the field: pyenv's 3.7 has python-3.7.pc but no -embed
// file, and used to be built against Debian's 3.11 headers.
func TestWithPythonRefusesPyenv37(t *testing.T) {
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		root = filepath.Join(os.Getenv("HOME"), ".pyenv")
	}
	matches, _ := filepath.Glob(filepath.Join(root, "versions", "3.7.*"))
	if len(matches) == 0 {
		t.Skipf("no pyenv 3.7 under %s to try", root)
	}
	r := script(t, nil, "with-python.sh", "3.7", matches[0], "true")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "it has no lib/pkgconfig/python-3.7-embed.pc (found: python-3.7.pc")
}

func TestWithPythonEnvironment(t *testing.T) {
	prefix := goodPrefix(t, t.TempDir(), "3.99t", "3.99.1")
	r := script(t, nil, "with-python.sh", "3.99t+gil", prefix, "sh", "-c", `echo "$CGO_CFLAGS|$CGO_LDFLAGS|$GILKIT_PYTHON|$GILKIT_PYTHON_PREFIX|$PYTHON_GIL"`)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "-g -O2 -I"+prefix+"/include/python3.99t|-g -O2 -Wl,-rpath,"+prefix+"/lib|3.99t+gil|"+prefix+"|1\n", r.stdout)
}

// A prefix that brings its own glibc (Debian's binary packages) says so in
// the pkg-config variable gilkit_ldflags: every binary gets those flags,
// linked by gcc (Go's internal linker would take the loader but not the
// C startup, and the binary would abort on the prefix's glibc).
func TestWithPythonEnvironmentOfAPrefixWithItsOwnGlibc(t *testing.T) {
	prefix := goodPrefix(t, t.TempDir(), "3.99", "3.99.1")
	pc := filepath.Join(prefix, "lib", "pkgconfig", "python-3.99-embed.pc")
	b, err := os.ReadFile(pc)
	require.NoError(t, err)
	flags := "-Wl,--dynamic-linker=${libdir}/ld-linux-x86-64.so.2 -Wl,--disable-new-dtags"
	withFlags := strings.Replace(string(b), "\n\n", "\ngilkit_ldflags="+flags+"\n\n", 1) // after libdir
	require.NoError(t, os.WriteFile(pc, []byte(withFlags), 0o644))
	r := script(t, []string{"GOFLAGS=-count=1"}, "with-python.sh", "3.99", prefix, "sh", "-c", `echo "$CGO_LDFLAGS|$GOFLAGS"`)
	require.Equal(t, 0, r.code, r.stderr)
	lib := prefix + "/lib"
	assert.Equal(t, "-g -O2 -Wl,-rpath,"+lib+" -Wl,--dynamic-linker="+lib+"/ld-linux-x86-64.so.2 -Wl,--disable-new-dtags|-count=1 -ldflags=-linkmode=external\n", r.stdout)
}
