package scripts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A cached build from before gilkit recorded sources is labelled from a
// local tarball of exactly its release, once, and keeps being used as it is.
func TestPythonsLabelsBuildWithoutRecord(t *testing.T) {
	home, pyenv := t.TempDir(), t.TempDir()
	prefix := goodPrefix(t, filepath.Join(home, "pythons", "3.99t"), "3.99t", "3.99.1")
	fakeTarball(t, filepath.Join(home, "pythons", "src"), "python3.99_3.99.0.orig.tar.xz", "3.99.0")
	tarball := fakeTarball(t, filepath.Join(home, "pythons", "src"), "python3.99_3.99.1.orig.tar.xz", "3.99.1")
	env := []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv}

	r := script(t, env, "pythons.sh", "3.99t")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99t "+prefix+"\n", r.stdout)
	assert.Contains(t, r.stderr, "recorded the source of "+prefix+": python3.99_3.99.1.orig.tar.xz (CPython 3.99.1; the build predates source records)")
	assert.Equal(t, map[string]string{"version": "3.99.1", "tarball": filepath.Base(tarball), "sha256": sha256File(t, tarball), "origin": "debian"},
		readRecord(t, filepath.Join(prefix, "gilkit-source.json")), "the tarball of its release, not the other one")

	again := script(t, env, "pythons.sh", "3.99t+gil")
	require.Equal(t, 0, again.code, again.stderr)
	assert.Equal(t, "3.99t+gil "+prefix+"\n", again.stdout)
	assert.Empty(t, again.stderr, "labelled once")
}

func TestPythonsKeepsUsingBuildWhoseSourceIsGone(t *testing.T) {
	home, pyenv := t.TempDir(), t.TempDir()
	prefix := goodPrefix(t, filepath.Join(home, "pythons", "3.99t"), "3.99t", "3.99.1")
	r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv}, "pythons.sh", "3.99t")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99t "+prefix+"\n", r.stdout)
	assert.Contains(t, r.stderr, "warning: "+prefix+" has no gilkit-source.json and no tarball of CPython 3.99.1 is at hand to label it")
	assert.NoFileExists(t, filepath.Join(prefix, "gilkit-source.json"))
}

// X.Y next to a cached X.Yt means the GIL build of X.Yt's tarball: when
// that tarball is gone, another source (or pyenv's X.Y) would be a
// different interpreter, so it says so instead of building.
func TestPythonsSameSourceNeedsTheSiblingsTarball(t *testing.T) {
	home, pyenv := t.TempDir(), t.TempDir()
	ft := goodPrefix(t, filepath.Join(home, "pythons", "3.99t"), "3.99t", "3.99.1")
	sha := strings.Repeat("e", 64)
	record := `{"version": "3.99.1", "tarball": "Python-3.99.1.tar.xz", "sha256": "` + sha + `", "origin": "python.org"}`
	require.NoError(t, os.WriteFile(filepath.Join(ft, "gilkit-source.json"), []byte(record), 0o644))
	// Another tarball of the same release, with another checksum.
	fakeTarball(t, filepath.Join(home, "sources"), "Python-3.99.1.tar.xz", "3.99.1")

	r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv}, "pythons.sh", "3.99")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "cannot build 3.99 from the same source as 3.99t: 3.99t was built from Python-3.99.1.tar.xz (sha256 "+sha+")")
	assert.NoDirExists(t, filepath.Join(home, "pythons", "3.99"))
}

func TestPythonsNameErrors(t *testing.T) {
	tests := []struct{ name, want string }{
		{"3.13x", "'3.13x' is not an interpreter name"},
		{"3.10", "CPython 3.10 is too old: gilkit needs 3.11 or newer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := script(t, []string{"GILKIT_CACHE=" + t.TempDir()}, "pythons.sh", tc.name)
			assert.Equal(t, 1, r.code)
			assert.Contains(t, r.stderr, tc.want)
		})
	}
}

func TestPythonsOverrideIsChecked(t *testing.T) {
	wrong := goodPrefix(t, t.TempDir(), "3.99t", "3.99.1")
	r := script(t, []string{"GILKIT_CACHE=" + t.TempDir(), "GILKIT_PYTHONS=3.99=" + wrong}, "pythons.sh", "3.99")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "refusing "+wrong+" as CPython 3.99: it has no lib/pkgconfig/python-3.99-embed.pc")
	assert.Contains(t, r.stderr, "GILKIT_PYTHONS names "+wrong+" for 3.99, which is not usable")

	good := script(t, []string{"GILKIT_CACHE=" + t.TempDir(), "GILKIT_PYTHONS=3.99t=" + wrong}, "pythons.sh", "3.99t")
	require.Equal(t, 0, good.code, good.stderr)
	assert.Equal(t, "3.99t "+wrong+"\n", good.stdout)
}

// The default matrix's promise: X.Y next to X.Yt is the GIL build of the
// same tarball, fetched once; a later rebuild of one of them still uses
// the other's recorded tarball, not a newer one.
func TestPythonsBuildsBothVariantsFromOneTarball(t *testing.T) {
	home, pyenv, sources := t.TempDir(), t.TempDir(), t.TempDir()
	first := fakeTarball(t, sources, "Python-3.99.1.tar.xz", "3.99.1")
	env := []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv, "GILKIT_SOURCES=" + sources}
	cache := filepath.Join(home, "pythons")

	r := script(t, env, "pythons.sh", "3.99", "3.99t", "3.99t+gil")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99 "+cache+"/3.99\n3.99t "+cache+"/3.99t\n3.99t+gil "+cache+"/3.99t\n", r.stdout)
	assert.Equal(t, 2, strings.Count(r.stderr, "from Python-3.99.1.tar.xz into"), r.stderr)
	want := map[string]string{"version": "3.99.1", "tarball": "Python-3.99.1.tar.xz", "sha256": sha256File(t, first), "origin": "GILKIT_SOURCES"}
	assert.Equal(t, want, readRecord(t, filepath.Join(cache, "3.99", "gilkit-source.json")))
	assert.Equal(t, want, readRecord(t, filepath.Join(cache, "3.99t", "gilkit-source.json")))
	leftovers, _ := filepath.Glob(filepath.Join(cache, "*.partial.*"))
	assert.Empty(t, leftovers, "no staging folders left behind")

	// A newer release arrives; the GIL build is rebuilt: from 3.99t's tarball.
	fakeTarball(t, sources, "Python-3.99.2.tar.xz", "3.99.2")
	require.NoError(t, os.RemoveAll(filepath.Join(cache, "3.99")))
	again := script(t, env, "pythons.sh", "3.99")
	require.Equal(t, 0, again.code, again.stderr)
	assert.Contains(t, again.stderr, "building CPython 3.99 from Python-3.99.1.tar.xz")
	assert.Equal(t, want, readRecord(t, filepath.Join(cache, "3.99", "gilkit-source.json")))

	// Alone and with no sibling, a version builds from the newest tarball.
	fakeTarball(t, sources, "Python-3.98.3.tar.xz", "3.98.3")
	fakeTarball(t, sources, "Python-3.98.4.tar.xz", "3.98.4")
	alone := script(t, env, "pythons.sh", "3.98t")
	require.Equal(t, 0, alone.code, alone.stderr)
	assert.Equal(t, "3.98.4", readRecord(t, filepath.Join(cache, "3.98t", "gilkit-source.json"))["version"])
}

// The migration of a cache from before source records: 3.99t exists
// without gilkit-source.json, 3.99 is asked for with it. 3.99t is labelled
// from the tarball of its release first, and 3.99 is built from that one,
// not from the newer tarball beside it.
func TestPythonsMigratesUnlabelledSibling(t *testing.T) {
	home, pyenv := t.TempDir(), t.TempDir()
	cache := filepath.Join(home, "pythons")
	goodPrefix(t, filepath.Join(cache, "3.99t"), "3.99t", "3.99.1")
	old := fakeTarball(t, filepath.Join(cache, "src"), "python3.99_3.99.1.orig.tar.xz", "3.99.1")
	fakeTarball(t, filepath.Join(cache, "src"), "python3.99_3.99.2.orig.tar.xz", "3.99.2")

	r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv}, "pythons.sh", "3.99", "3.99t")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99 "+cache+"/3.99\n3.99t "+cache+"/3.99t\n", r.stdout)
	want := map[string]string{"version": "3.99.1", "tarball": filepath.Base(old), "sha256": sha256File(t, old), "origin": "debian"}
	assert.Equal(t, want, readRecord(t, filepath.Join(cache, "3.99t", "gilkit-source.json")))
	assert.Equal(t, want, readRecord(t, filepath.Join(cache, "3.99", "gilkit-source.json")))
}

// With the other variant's release gone, the build goes ahead from what is
// at hand, and says loudly that the pair is not like with like.
func TestPythonsWarnsWhenThePairCannotMatch(t *testing.T) {
	home, pyenv, sources := t.TempDir(), t.TempDir(), t.TempDir()
	cache := filepath.Join(home, "pythons")
	goodPrefix(t, filepath.Join(cache, "3.99t"), "3.99t", "3.99.1")
	fakeTarball(t, sources, "Python-3.99.2.tar.xz", "3.99.2")

	r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv, "GILKIT_SOURCES=" + sources}, "pythons.sh", "3.99")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99 "+cache+"/3.99\n", r.stdout)
	assert.Contains(t, r.stderr, "warning: building 3.99 from Python-3.99.2.tar.xz, but 3.99t is CPython 3.99.1 of unknown source: the pair is not like with like")
}
