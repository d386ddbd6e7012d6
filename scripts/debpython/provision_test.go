package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// debianDownloads finds Debian packages an earlier provisioning downloaded
// (make pythons PYTHONS=3.15 on a machine without a 3.15 source), so that
// the whole path runs here again offline, from an apt archive served on
// 127.0.0.1: real CPython, real glibc, real apt-get.
func debianDownloads(t *testing.T) (ver, debs string) {
	t.Helper()
	home := os.Getenv("GILKIT_CACHE")
	if home == "" {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			cache = filepath.Join(os.Getenv("HOME"), ".cache")
		}
		home = filepath.Join(cache, "gilkit")
	}
	for _, v := range []string{"3.15", "3.14"} {
		dir := filepath.Join(home, "pythons", "src", "debian-"+v, "debs")
		if m, _ := filepath.Glob(filepath.Join(dir, "libpython"+v+"_*.deb")); len(m) > 0 {
			return v, dir
		}
	}
	t.Skipf("no Debian binary packages of CPython under %s/pythons/src/debian-X.Y (make pythons PYTHONS=3.15 downloads them where no source is reachable)", home)
	return "", ""
}

// serveArchive serves a flat apt archive (Packages at its root) of the
// .debs in dir, leaving out the packages named in without, and returns its
// source line.
func serveArchive(t *testing.T, dir string, without ...string) string {
	t.Helper()
	root := t.TempDir()
	files, err := filepath.Glob(filepath.Join(dir, "*.deb"))
	require.NoError(t, err)
	var index strings.Builder
	for _, f := range files {
		d, err := readDeb(f)
		require.NoError(t, err)
		if contains(without, d.Name) {
			continue
		}
		control, err := exec.Command("dpkg-deb", "-f", f).Output()
		require.NoError(t, err)
		st, err := os.Stat(f)
		require.NoError(t, err)
		require.NoError(t, os.Symlink(f, filepath.Join(root, filepath.Base(f))))
		fmt.Fprintf(&index, "%sFilename: ./%s\nSize: %d\nSHA256: %s\n\n", control, filepath.Base(f), st.Size(), d.SHA256)
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "Packages"), []byte(index.String()), 0o644))
	srv := httptest.NewServer(http.FileServer(http.Dir(root)))
	t.Cleanup(srv.Close)
	return "deb [trusted=yes] " + srv.URL + "/ ./"
}

func TestProvisionFromALocalArchive(t *testing.T) {
	ver, debs := debianDownloads(t)
	archive := serveArchive(t, debs)
	base := t.TempDir()
	prefix := filepath.Join(base, ver+"-debian")
	var logged []string
	err := Provision(Options{Version: ver, Prefix: prefix, Downloads: filepath.Join(base, "dl"), Archive: archive, CC: "cc",
		Log: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(logged, "\n"), "provisioned CPython "+ver+".")

	// The record names every package with the checksum of the very file.
	var rec Record
	b, err := os.ReadFile(filepath.Join(prefix, RecordFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rec))
	assert.Equal(t, OriginDebianBinary, rec.Origin)
	assert.True(t, strings.HasPrefix(rec.Version, ver+"."), rec.Version)
	names := map[string]bool{}
	for _, p := range rec.Packages {
		names[p.Name] = true
		sum, err := sha256File(filepath.Join(base, "dl", "debs", p.File))
		require.NoError(t, err)
		assert.Equal(t, sum, p.SHA256, p.File)
	}
	for _, n := range append(pythonPackages(ver), "libc6", "libssl3t64", "zlib1g") {
		assert.True(t, names[n], "%s is among the packages", n)
	}
	assert.False(t, names["tzdata"], "data packages stay the system's")

	// A prefix with-python.sh accepts, whose python knows where it lives.
	check := exec.Command("../with-python.sh", "--check", ver, prefix)
	out, err := check.CombinedOutput()
	require.NoError(t, err, "%s", out)
	py := filepath.Join(prefix, "bin", "python"+ver)
	out, err = exec.Command(py, "-c", "import sys, sysconfig, ssl; print(sys.prefix); print(sysconfig.get_config_var('LIBDIR')); print(sysconfig.get_paths()['include'])").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, prefix+"\n"+prefix+"/lib\n"+prefix+"/include/python"+ver+"\n", string(out))
	interp, err := programInterpreter(py)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(prefix, "lib", "ld-linux-x86-64.so.2"), interp, "started by the prefix's own glibc")

	pyconfig, err := os.ReadFile(filepath.Join(prefix, "include", "python"+ver, "pyconfig.h"))
	require.NoError(t, err)
	assert.Contains(t, string(pyconfig), "#define SIZEOF_VOID_P", "the real pyconfig.h, not Debian's multiarch wrapper")

	// No link in the prefix points nowhere.
	require.NoError(t, filepath.Walk(prefix, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode()&os.ModeSymlink != 0 {
			_, statErr := os.Stat(p)
			assert.NoError(t, statErr, "dangling link %s", p)
		}
		return err
	}))
	leftovers, _ := filepath.Glob(filepath.Join(base, "*.partial.*"))
	assert.Empty(t, leftovers)
}

// Debian's dependencies are how the libraries are found; the ELF check is
// what proves none is missing: an archive without libffi (which ctypes
// links) fails, naming it, and leaves no prefix behind.
func TestProvisionRefusesAnIncompletePrefix(t *testing.T) {
	ver, debs := debianDownloads(t)
	archive := serveArchive(t, debs, "libffi8")
	base := t.TempDir()
	prefix := filepath.Join(base, ver+"-debian")
	err := Provision(Options{Version: ver, Prefix: prefix, Downloads: filepath.Join(base, "dl"), Archive: archive, CC: "cc"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the prefix lacks shared libraries its files need")
	assert.Contains(t, err.Error(), "libffi.so.8 (needed by lib/python"+ver+"/lib-dynload/_ctypes")
	assert.NoDirExists(t, prefix)
	leftovers, _ := filepath.Glob(filepath.Join(base, "*.partial.*"))
	assert.Empty(t, leftovers)
}

func TestProvisionErrors(t *testing.T) {
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("needs apt-get")
	}
	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "deb [trusted=yes] http://" + l.Addr().String() + "/ ./"
	require.NoError(t, l.Close())
	empty := serveArchive(t, t.TempDir())

	tests := []struct{ name, version, archive, want string }{
		{"a free-threaded name", "3.15t", DefaultArchive, `"3.15t" is not a CPython version X.Y (a GIL build: Debian builds no free-threaded variant)`},
		{"not a source line", "3.15", "http://deb.debian.org/debian", "is not an apt source line"},
		{"unreachable", "3.15", closed, "Debian's archive ([trusted=yes] http://" + l.Addr().String() + "/ ./) is unreachable"},
		{"no such package", "3.15", empty, "has no package libpython3.15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			err := Provision(Options{Version: tc.version, Prefix: filepath.Join(base, "p"), Downloads: filepath.Join(base, "dl"), Archive: tc.archive, CC: "cc"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NoDirExists(t, filepath.Join(base, "p"))
		})
	}
}
