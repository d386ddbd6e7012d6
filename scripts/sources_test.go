package scripts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A folder of tarballs the user brings (GILKIT_SOURCES) is used before any
// download, and every tarball is verified before use.
func TestFetchFromGilkitSources(t *testing.T) {
	type tarball struct{ file, inside string }
	tests := []struct {
		name     string
		tarballs []tarball
		prepare  func(t *testing.T, dir string)
		want     string // file name printed, or "" when refused
		wantErr  string
	}{
		{name: "python.org and Debian names; the newest release wins",
			tarballs: []tarball{{"Python-3.99.1.tar.xz", "3.99.1"}, {"python3.99_3.99.2.orig.tar.xz", "3.99.2"}, {"Python-3.99.0.tgz", "3.99.0"}},
			want:     "python3.99_3.99.2.orig.tar.xz"},
		{name: "a final release wins over its release candidate",
			tarballs: []tarball{{"Python-3.99.0rc1.tar.xz", "3.99.0rc1"}, {"Python-3.99.0.tar.xz", "3.99.0"}},
			want:     "Python-3.99.0.tar.xz"},
		{name: "a matching .sha256 beside it",
			tarballs: []tarball{{"Python-3.99.1.tar.xz", "3.99.1"}},
			prepare: func(t *testing.T, dir string) {
				f := filepath.Join(dir, "Python-3.99.1.tar.xz")
				require.NoError(t, os.WriteFile(f+".sha256", []byte(strings.ToUpper(sha256File(t, f))+"  Python-3.99.1.tar.xz\n"), 0o644))
			},
			want: "Python-3.99.1.tar.xz"},
		{name: "a .sha256 that does not match",
			tarballs: []tarball{{"Python-3.99.1.tar.xz", "3.99.1"}},
			prepare: func(t *testing.T, dir string) {
				require.NoError(t, os.WriteFile(filepath.Join(dir, "Python-3.99.1.tar.xz.sha256"), []byte(strings.Repeat("ab", 32)+"\n"), 0o644))
			},
			wantErr: "but the checksum file beside it says " + strings.Repeat("ab", 32)},
		{name: "a SHA256SUMS line that does not match",
			tarballs: []tarball{{"Python-3.99.1.tar.xz", "3.99.1"}},
			prepare: func(t *testing.T, dir string) {
				sums := strings.Repeat("0", 64) + "  Python-3.99.0.tar.xz\n" + strings.Repeat("cd", 32) + " *Python-3.99.1.tar.xz\n"
				require.NoError(t, os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(sums), 0o644))
			},
			wantErr: "but the checksum file beside it says " + strings.Repeat("cd", 32)},
		{name: "a name that lies about the version inside",
			tarballs: []tarball{{"Python-3.99.1.tar.xz", "3.99.2"}},
			wantErr:  "Python-3.99.1.tar.xz: its name says CPython 3.99.1, but Include/patchlevel.h inside says 3.99.2"},
		{name: "a truncated download",
			tarballs: []tarball{{"Python-3.99.1.tar.xz", "3.99.1"}},
			prepare: func(t *testing.T, dir string) {
				f := filepath.Join(dir, "Python-3.99.1.tar.xz")
				st, err := os.Stat(f)
				require.NoError(t, err)
				require.NoError(t, os.Truncate(f, st.Size()/2))
			},
			wantErr: "Python-3.99.1.tar.xz: the archive is damaged or incomplete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sources, home := t.TempDir(), t.TempDir()
			for _, tb := range tc.tarballs {
				fakeTarball(t, sources, tb.file, tb.inside)
			}
			if tc.prepare != nil {
				tc.prepare(t, sources)
			}
			env := []string{"GILKIT_SOURCES=" + sources, "GILKIT_CACHE=" + home}
			r := script(t, env, "fetch-cpython-source.sh", "3.99", filepath.Join(home, "pythons", "src"))
			if tc.wantErr != "" {
				assert.Equal(t, 1, r.code)
				assert.Contains(t, r.stderr, tc.wantErr)
				assert.Empty(t, r.stdout)
				return
			}
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, filepath.Join(sources, tc.want)+"\n", r.stdout)
			assert.Empty(t, r.stderr, "a local tarball is used quietly")
		})
	}
}

// `make pythons PYTHONS=3.96t` where no source can be had: one line that
// says so and names the folder to drop a tarball into.
func TestPythonsWithoutAnySourceSaysSoInOneLine(t *testing.T) {
	if !canCutNetwork() {
		t.Skip("unshare -n is not available: this test would ask python.org and Debian for a 3.96 source")
	}
	home, pyenv := t.TempDir(), t.TempDir()
	r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv}, "pythons.sh", "3.96t")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 1, r.stderr)
	assert.Contains(t, lines[0], "no CPython 3.96 source is reachable here (python.org: unreachable; Debian: unreachable)")
	assert.Contains(t, lines[0], "drop Python-3.96.N.tar.xz into "+filepath.Join(home, "sources"))
}

func readRecord(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var rec map[string]string
	require.NoError(t, json.Unmarshal(b, &rec))
	return rec
}

// gilkit-source.json says version, file, checksum and where it came from.
func TestSourceRecord(t *testing.T) {
	sources, downloads := t.TempDir(), t.TempDir()
	brought := fakeTarball(t, sources, "Python-3.99.1.tar.xz", "3.99.1")
	fromDebian := fakeTarball(t, downloads, "python3.99_3.99.2~rc1.orig.tar.xz", "3.99.2rc1")
	fromPyorg := fakeTarball(t, downloads, "Python-3.99.3.tar.xz", "3.99.3")
	require.NoError(t, os.WriteFile(fromPyorg+".origin", []byte("python.org\n"), 0o644))
	tests := []struct{ tarball, version, origin string }{
		{brought, "3.99.1", "GILKIT_SOURCES"},
		{fromDebian, "3.99.2rc1", "debian"},
		{fromPyorg, "3.99.3", "python.org"},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.tarball), func(t *testing.T) {
			prefix := t.TempDir()
			r := lib(t, []string{"GILKIT_SOURCES=" + sources}, "write_source_json", tc.tarball, prefix)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, map[string]string{
				"version": tc.version, "tarball": filepath.Base(tc.tarball), "sha256": sha256File(t, tc.tarball), "origin": tc.origin,
			}, readRecord(t, filepath.Join(prefix, "gilkit-source.json")))
		})
	}
}
