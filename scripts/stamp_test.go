package scripts

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gitRepo makes a repository with one commit at a fixed time.
func gitRepo(t *testing.T) (dir string, git func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir = t.TempDir()
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_COMMITTER_DATE=2026-11-25T20:22:58Z", "GIT_AUTHOR_DATE=2026-11-25T20:22:58Z")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), []byte("a\n"), 0o644))
	git("add", "a")
	git("commit", "-q", "-m", "one")
	return dir, git
}

func TestStamp(t *testing.T) {
	dir, git := gitRepo(t)
	rev := git("rev-parse", "HEAD")
	pseudo := "20261125202258-" + rev[:12]
	stamp := func(env ...string) string {
		t.Helper()
		r := script(t, env, "gilkit-stamp.sh", dir)
		require.Equal(t, 0, r.code, r.stderr)
		return r.stdout
	}
	want := func(version, modified string) string {
		return "GILKIT_VERSION=" + version + "\nGILKIT_REVISION=" + rev + "\nGILKIT_COMMIT_TIME=2026-11-25T20:22:58Z\nGILKIT_MODIFIED=" + modified + "\n"
	}

	assert.Equal(t, want("v0.0.0-"+pseudo, "false"), stamp(), "no tag: Go's pseudo-version")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), []byte("b\n"), 0o644))
	assert.Equal(t, want("v0.0.0-"+pseudo+"+dirty", "true"), stamp(), "uncommitted changes")
	git("checkout", "-q", "a")

	git("tag", "v1.2.3")
	assert.Equal(t, want("v1.2.3", "false"), stamp(), "a release tag")
	git("commit", "-q", "--allow-empty", "-m", "two")
	rev = git("rev-parse", "HEAD")
	pseudo = "20261125202258-" + rev[:12]
	assert.Equal(t, want("v1.2.4-0."+pseudo, "false"), stamp(), "after a release tag")
	git("tag", "v1.3.0-rc.1")
	git("commit", "-q", "--allow-empty", "-m", "three")
	rev = git("rev-parse", "HEAD")
	pseudo = "20261125202258-" + rev[:12]
	assert.Equal(t, want("v1.3.0-rc.1.0."+pseudo, "false"), stamp(), "after a pre-release tag")

	assert.Equal(t, "GILKIT_VERSION=v9.9.9\nGILKIT_REVISION=feedface\n", stamp("GILKIT_REVISION=feedface", "GILKIT_VERSION=v9.9.9"),
		"GILKIT_REVISION wins: a build from a copy of the tree without .git")

	r := script(t, nil, "gilkit-stamp.sh", t.TempDir())
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stdout, "no repository: no stamp (gilctl then says unknown)")
}

// TestStampLinksIntoTheBinary builds a program that prints
// version.Current() with the -ldflags the script gives build-gilctl.sh,
// with the toolchain's own VCS stamp off.
func TestStampLinksIntoTheBinary(t *testing.T) {
	dir, git := gitRepo(t)
	r := script(t, nil, "gilkit-stamp.sh", "--ldflags", dir)
	require.Equal(t, 0, r.code, r.stderr)
	bin := filepath.Join(t.TempDir(), "printversion")
	out, err := exec.Command("go", "build", "-buildvcs=false", "-ldflags="+strings.TrimSpace(r.stdout), "-o", bin,
		"../gilctl/internal/version/testdata/printversion").CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin).Output()
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(out, &got))
	rev := git("rev-parse", "HEAD")
	assert.Equal(t, map[string]any{"version": "v0.0.0-20261125202258-" + rev[:12], "revision": rev, "time": "2026-11-25T20:22:58Z", "modified": false}, got)
}
