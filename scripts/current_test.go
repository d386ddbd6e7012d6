package scripts

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Release names of 3.14 and 3.15 as python.org and Debian spell them.
func TestTarballVersionsOfCurrentReleases(t *testing.T) {
	tests := []struct{ file, want string }{
		{"Python-3.14.10.tar.xz", "3.14.10"},
		{"Python-3.15.0rc2.tar.xz", "3.15.0rc2"},
		{"python3.14_3.14.10.orig.tar.xz", "3.14.10"},
		{"python3.15_3.15.0~b1.orig.tar.xz", "3.15.0b1"},
		{"Python-3.15.2.tgz", "3.15.2"},
	}
	for _, tc := range tests {
		r := lib(t, nil, "tarball_version", tc.file)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, tc.want+"\n", r.stdout, tc.file)
	}
	// Newest release last: a final release after its candidates, 3.14.10 after 3.14.9.
	dir := t.TempDir()
	for _, f := range []string{"Python-3.14.9.tar.xz", "Python-3.14.10.tar.xz", "Python-3.14.10rc1.tar.xz", "Python-3.14.0.tar.xz"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
	}
	r := lib(t, nil, "local_tarballs", "3.14", dir)
	require.Equal(t, 0, r.code, r.stderr)
	var got []string
	for _, l := range strings.Fields(r.stdout) {
		got = append(got, filepath.Base(l))
	}
	assert.Equal(t, []string{"Python-3.14.0.tar.xz", "Python-3.14.9.tar.xz", "Python-3.14.10rc1.tar.xz", "Python-3.14.10.tar.xz"}, got)
}

// PYTHONS=3.14t where a 3.14 tarball is at hand: 3.14 and 3.14t from that
// one tarball, the same code path as 3.13/3.13t, configured as CPython's
// free-threaded build is (--disable-gil, still the flag under PEP 779).
func TestPythons314tFromOneTarball(t *testing.T) {
	home, pyenv, sources := t.TempDir(), t.TempDir(), t.TempDir()
	tarball := fakeTarball(t, sources, "Python-3.14.10.tar.xz", "3.14.10")
	env := []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + pyenv, "GILKIT_SOURCES=" + sources}
	cache := filepath.Join(home, "pythons")

	r := script(t, env, "pythons.sh", "3.14", "3.14t")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.14 "+cache+"/3.14\n3.14t "+cache+"/3.14t\n", r.stdout)
	for _, abi := range []string{"3.14", "3.14t"} {
		rec := readRecord(t, filepath.Join(cache, abi, "gilkit-source.json"))
		assert.Equal(t, sha256File(t, tarball), rec["sha256"], abi)
		args, err := os.ReadFile(filepath.Join(cache, abi, "configure-args"))
		require.NoError(t, err)
		assert.Contains(t, string(args), "--enable-shared", abi)
		assert.Contains(t, string(args), "LDFLAGS=-Wl,-rpath,"+cache+"/"+abi+"/lib", abi)
		assert.Equal(t, abi == "3.14t", strings.Contains(string(args), "--disable-gil"), "%s: %s", abi, args)
	}
}

// Where no 3.14t or 3.15t source can be had, one line says so (Debian
// builds no free-threaded variant, so there is no fallback).
func TestPythonsCurrentFreeThreadedWithoutSource(t *testing.T) {
	if !canCutNetwork() {
		t.Skip("unshare -n is not available: this test would ask python.org and Debian for sources")
	}
	for _, name := range []string{"3.14t", "3.15t"} {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + t.TempDir()}, "pythons.sh", name)
			assert.Equal(t, 1, r.code)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			require.Len(t, lines, 1, r.stderr)
			ver := strings.TrimSuffix(name, "t")
			assert.Contains(t, lines[0], "no CPython "+ver+" source is reachable here")
			assert.Contains(t, lines[0], "drop Python-"+ver+".N.tar.xz into "+filepath.Join(home, "sources"))
		})
	}
}

// A GIL build with no source falls back to Debian's binary packages; with
// no network either, that says so too.
func TestPythonsGILBuildFallsBackToDebianBinaries(t *testing.T) {
	if !canCutNetwork() {
		t.Skip("unshare -n is not available: this test would download from Debian")
	}
	home := t.TempDir()
	r := script(t, []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + t.TempDir()}, "pythons.sh", "3.96")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "no CPython 3.96 source is reachable here")
	assert.Contains(t, r.stderr, "no 3.96 source: provisioning it from Debian's binary packages instead")
	assert.Contains(t, r.stderr, "Debian's archive (http://deb.debian.org/debian sid main) is unreachable")
	assert.NoDirExists(t, filepath.Join(home, "pythons", "3.96-debian"))
}

// A prefix provisioned from Debian before is used as it is, without
// asking for a source again; X.Y next to X.Yt is still built from X.Yt's
// tarball, never taken from Debian.
func TestPythonsUsesTheDebianPrefix(t *testing.T) {
	home, sources := t.TempDir(), t.TempDir()
	cache := filepath.Join(home, "pythons")
	deb := goodPrefix(t, filepath.Join(cache, "3.99-debian"), "3.99", "3.99.1")
	env := []string{"GILKIT_CACHE=" + home, "PYENV_ROOT=" + t.TempDir(), "GILKIT_SOURCES=" + sources}

	r := script(t, env, "pythons.sh", "3.99")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99 "+deb+"\n", r.stdout)
	assert.Empty(t, r.stderr, "no source was looked for")

	fakeTarball(t, sources, "Python-3.99.1.tar.xz", "3.99.1")
	r = script(t, env, "pythons.sh", "3.99", "3.99t")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3.99 "+cache+"/3.99\n3.99t "+cache+"/3.99t\n", r.stdout, "the pair is one source")
}

// makeVars reads the variable definitions of a Makefile ("NAME=\tvalue").
func makeVars(text string) map[string]string {
	vars := map[string]string{}
	re := regexp.MustCompile(`(?m)^([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$`)
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		if _, ok := vars[m[1]]; !ok {
			vars[m[1]] = strings.TrimSpace(m[2])
		}
	}
	return vars
}

// expand expands $(NAME) and ${NAME} as make does, recursively.
func expand(s string, vars map[string]string) string {
	re := regexp.MustCompile(`\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]`)
	for range 10 {
		next := re.ReplaceAllStringFunc(s, func(m string) string { return vars[m[2:len(m)-1]] })
		if next == s {
			break
		}
		s = next
	}
	return s
}

// The names gilkit expects of a free-threaded X.Yt (libpythonX.Yt.so,
// include/pythonX.Yt, python-X.Yt-embed.pc, lib/pythonX.Yt; what
// with-python.sh checks and what the fake builds lay out) are what
// CPython's own Makefile gives them, read from the Makefile that Debian's
// 3.14 and 3.15 packages ship (lib/pythonX.Y/config-X.Y-TRIPLET/Makefile)
// with the free-threaded ABI flag set. Without the flag the same reading
// gives the names the Debian prefix really has, which shows the reading
// is right.
func TestFreeThreadedNamesMatchCPythonsMakefile(t *testing.T) {
	home := os.Getenv("GILKIT_CACHE")
	if home == "" {
		home = filepath.Join(os.Getenv("HOME"), ".cache", "gilkit")
	}
	found := 0
	for _, ver := range []string{"3.14", "3.15"} {
		prefix := filepath.Join(home, "pythons", ver+"-debian")
		mk, _ := filepath.Glob(filepath.Join(prefix, "lib", "python"+ver, "config-"+ver+"-*", "Makefile"))
		if len(mk) != 1 {
			continue
		}
		found++
		t.Run(ver, func(t *testing.T) {
			b, err := os.ReadFile(mk[0])
			require.NoError(t, err)
			text := string(b)
			require.Contains(t, text, "python-$(LDVERSION)-embed.pc", "the install rule names the embed .pc after LDVERSION")
			for _, ft := range []bool{false, true} {
				vars := makeVars(text)
				abi := ver
				if ft {
					vars["ABIFLAGS"], vars["ABI_THREAD"] = "t", "t"
					abi += "t"
				}
				assert.Equal(t, ver, vars["VERSION"])
				names := map[string]string{
					"library":  expand("$(LDLIBRARY)", vars),
					"soname":   expand("$(INSTSONAME)", vars),
					"headers":  filepath.Base(expand("$(INCLUDEPY)", vars)),
					"stdlib":   filepath.Base(expand("$(LIBDEST)", vars)),
					"pkg-conf": expand("python-$(LDVERSION)-embed.pc", vars),
					"-l":       expand("$(BLDLIBRARY)", vars),
				}
				assert.Equal(t, map[string]string{
					"library": "libpython" + abi + ".so", "soname": "libpython" + abi + ".so.1.0", "headers": "python" + abi,
					"stdlib": "python" + abi, "pkg-conf": "python-" + abi + "-embed.pc", "-l": "-lpython" + abi,
				}, names, "free-threaded: %v", ft)
				if !ft {
					// The GIL build's names are the files the prefix has.
					for _, p := range []string{"lib/" + names["library"], "lib/" + names["soname"], "include/" + names["headers"] + "/Python.h",
						"lib/" + names["stdlib"] + "/os.py", "lib/pkgconfig/" + names["pkg-conf"]} {
						assert.FileExists(t, filepath.Join(prefix, p))
					}
				}
			}
		})
	}
	if found == 0 {
		t.Skipf("no Debian 3.14 or 3.15 prefix under %s/pythons (make pythons PYTHONS=\"3.14 3.15\" provisions them where no source is reachable)", home)
	}

	// And what gilkit's fake free-threaded build lays out, and
	// with-python.sh accepts as 3.15t, is that.
	sources, home2 := t.TempDir(), t.TempDir()
	fakeTarball(t, sources, "Python-3.15.2.tar.xz", "3.15.2")
	r := script(t, []string{"GILKIT_CACHE=" + home2, "PYENV_ROOT=" + t.TempDir(), "GILKIT_SOURCES=" + sources}, "pythons.sh", "3.15t")
	require.Equal(t, 0, r.code, r.stderr)
	p := filepath.Join(home2, "pythons", "3.15t")
	for _, f := range []string{"lib/libpython3.15t.so", "lib/pkgconfig/python-3.15t-embed.pc", "include/python3.15t/patchlevel.h"} {
		assert.FileExists(t, filepath.Join(p, f))
	}
}
