package scripts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tarballServer serves one CPython tarball on 127.0.0.1 the way python.org
// lays it out (/X.Y.Z/Python-X.Y.Z.tar.xz). serve decides what goes out.
type tarballServer struct {
	*httptest.Server
	hits atomic.Int32
}

func newTarballServer(t *testing.T, version string, serve func(w http.ResponseWriter)) *tarballServer {
	t.Helper()
	s := &tarballServer{}
	path := fmt.Sprintf("/%s/Python-%s.tar.xz", version, version)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		serve(w)
	}))
	t.Cleanup(s.Close)
	return s
}

// pythonSource runs docker/python-source.sh as the Dockerfile's step does,
// with the mirror, seed and checksum file given. Not through script(): it
// must reach the server on the loopback of this network namespace.
func pythonSource(t *testing.T, mirror, sums string, args ...string) result {
	t.Helper()
	cmd := exec.Command("bash", append([]string{"../docker/python-source.sh"}, args...)...)
	cmd.Env = append(os.Environ(), "PYTHON_MIRROR="+mirror, "GILKIT_SOURCES_SHA256="+sums)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// The Dockerfile's download of a CPython tarball, against a real HTTP server
// on 127.0.0.1: a good download is used; a wrong checksum, a truncated
// transfer, a short file and a missing file stop the build with a message
// naming the file and both checksums; a seeded tarball or prefix is used
// without any request.
func TestPythonSourceDownload(t *testing.T) {
	const version = "3.99.1"
	const file = "Python-3.99.1.tar.xz"
	good, err := os.ReadFile(fakeTarball(t, t.TempDir(), file, version))
	require.NoError(t, err)
	goodSHA := sha256Bytes(good)
	wrongPin := strings.Repeat("ab", 32)

	tests := []struct {
		name     string
		serve    func(w http.ResponseWriter)
		pin      string            // the checksum sources.sha256 pins; "" = not pinned
		seed     map[string][]byte // files in the seed
		names    []string
		want     []string // substrings of stderr on failure
		wantHits int32    // requests the server saw (-1: any)
		ok       bool
	}{
		{name: "downloaded and as pinned", pin: goodSHA, names: []string{"3.99t", "3.99"}, ok: true, wantHits: 1,
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good) }},
		{name: "a checksum that differs from the pin", pin: wrongPin, names: []string{"3.99t"}, wantHits: 1,
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good) },
			want:  []string{file, "has sha256 " + goodSHA, "docker/sources.sha256 pins " + wrongPin}},
		{name: "a transfer cut off before its Content-Length", pin: goodSHA, names: []string{"3.99t"}, wantHits: -1,
			serve: func(w http.ResponseWriter) {
				w.Header().Set("Content-Length", strconv.Itoa(len(good)))
				_, _ = w.Write(good[:len(good)/2])
				// Returning with bytes missing makes net/http close the connection.
			},
			want: []string{file, "download from", "failed", strconv.Itoa(len(good)/2) + " bytes arrived, sha256 " + sha256Bytes(good[:len(good)/2]), "pins " + goodSHA}},
		{name: "a short file served whole", pin: goodSHA, names: []string{"3.99t"}, wantHits: 1,
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good[:len(good)/3]) },
			want:  []string{file, "has sha256 " + sha256Bytes(good[:len(good)/3]), "pins " + goodSHA}},
		{name: "no such file on the server", pin: goodSHA, names: []string{"3.99t"}, wantHits: -1,
			serve: func(w http.ResponseWriter) { http.Error(w, "gone", http.StatusNotFound) },
			want:  []string{file, "download from", "404", "nothing arrived", "pins " + goodSHA, "make docker-seed"}},
		{name: "not pinned at all", pin: "", names: []string{"3.99t"}, wantHits: 0,
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good) },
			want:  []string{file + " is not pinned in docker/sources.sha256"}},
		{name: "a seeded tarball needs no request", pin: goodSHA, names: []string{"3.99t", "3.99"}, ok: true, wantHits: 0,
			seed:  map[string][]byte{file: good},
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good) }},
		{name: "a seeded tarball with another checksum is refused", pin: goodSHA, names: []string{"3.99t"}, wantHits: 0,
			seed:  map[string][]byte{file: good[:100]},
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good) },
			want:  []string{file + " in docker/seed", "has sha256 " + sha256Bytes(good[:100]), "pins " + goodSHA}},
		{name: "seeded prefixes for every name need no tarball", pin: "", names: []string{"3.99t", "3.99"}, ok: true, wantHits: 0,
			seed: map[string][]byte{
				"python-3.99t.prefix.tar": []byte("tar"), "python-3.99t.origin": []byte("/host/3.99t\n"),
				"python-3.99.prefix.tar": []byte("tar"), "python-3.99.origin": []byte("/host/3.99\n"),
			},
			serve: func(w http.ResponseWriter) { _, _ = w.Write(good) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTarballServer(t, version, tc.serve)
			dir := t.TempDir()
			sums := filepath.Join(dir, "sources.sha256")
			pins := "# pinned\n" + strings.Repeat("0", 64) + "  Python-3.98.0.tar.xz\n"
			if tc.pin != "" {
				pins += tc.pin + "  " + file + "\n"
			}
			require.NoError(t, os.WriteFile(sums, []byte(pins), 0o644))
			seed, out := filepath.Join(dir, "seed"), filepath.Join(dir, "in")
			require.NoError(t, os.MkdirAll(seed, 0o755))
			for name, b := range tc.seed {
				require.NoError(t, os.WriteFile(filepath.Join(seed, name), b, 0o644))
			}

			r := pythonSource(t, srv.URL, sums, append([]string{version, seed, out}, tc.names...)...)
			if tc.wantHits >= 0 {
				assert.Equal(t, tc.wantHits, srv.hits.Load(), "requests to the server")
			}
			if !tc.ok {
				assert.Equal(t, 1, r.code, r.stderr)
				for _, w := range tc.want {
					assert.Contains(t, r.stderr, w)
				}
				for _, n := range tc.names {
					assert.NoFileExists(t, filepath.Join(out, n, file), "no tarball may be handed on")
				}
				return
			}
			require.Equal(t, 0, r.code, r.stderr)
			for _, n := range tc.names {
				if _, seeded := tc.seed["python-"+n+".prefix.tar"]; seeded {
					assert.FileExists(t, filepath.Join(out, n, "prefix.tar"))
					assert.Contains(t, r.stderr, n+": PREBUILT")
					continue
				}
				got, err := os.ReadFile(filepath.Join(out, n, file))
				require.NoError(t, err)
				assert.Equal(t, goodSHA, sha256Bytes(got))
				origin, err := os.ReadFile(filepath.Join(out, n, "origin"))
				require.NoError(t, err)
				// One of the origins gilkit-source.json allows (gilctl/internal/provenance):
				// the pin proves the bytes are python.org's, whoever served them.
				assert.Equal(t, "python.org\n", string(origin))
			}
		})
	}
}

// The pins are python.org's published checksums, one line per tarball, and
// every release the Dockerfile builds is pinned.
func TestDockerfileReleasesArePinned(t *testing.T) {
	sums, err := os.ReadFile("../docker/sources.sha256")
	require.NoError(t, err)
	dockerfile, err := os.ReadFile("../docker/Dockerfile")
	require.NoError(t, err)
	var releases []string
	for _, line := range strings.Split(string(dockerfile), "\n") {
		if rest, ok := strings.CutPrefix(line, "ARG CPYTHON_"); ok {
			_, v, found := strings.Cut(rest, "=")
			require.True(t, found, line)
			releases = append(releases, v)
		}
	}
	require.NotEmpty(t, releases, "the Dockerfile names its releases in ARG CPYTHON_X_Y=X.Y.Z")
	for _, v := range releases {
		file := "Python-" + v + ".tar.xz"
		assert.Regexp(t, `(?m)^[0-9a-f]{64}  `+strings.ReplaceAll(file, ".", `\.`)+`$`, string(sums))
		assert.Contains(t, string(sums), "https://www.python.org/ftp/python/"+v+"/"+file, "the comment gives the URL")
	}
}

func sha256Bytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
