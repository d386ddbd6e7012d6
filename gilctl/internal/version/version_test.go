package version

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func settings(kv ...string) []debug.BuildSetting {
	var s []debug.BuildSetting
	for i := 0; i < len(kv); i += 2 {
		s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
	}
	return s
}

func TestFromBuild(t *testing.T) {
	yes, no := true, false
	rev := "5cd8c5e37b605fb4f9ddd428e692849f3a73a013"
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		ld   stamp
		want Info
	}{
		{"nothing recorded", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, stamp{},
			Info{Version: Unknown, Revision: Unknown}},
		{"no build info", nil, stamp{}, Info{Version: Unknown, Revision: Unknown}},
		{"the toolchain's VCS stamp",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261125202258-5cd8c5e37b60+dirty"},
				Settings: settings("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-11-25T20:22:58Z", "vcs.modified", "true")},
			stamp{},
			Info{Version: "v0.0.0-20261125202258-5cd8c5e37b60+dirty", Revision: rev, Time: "2026-11-25T20:22:58Z", Modified: &yes}},
		{"-ldflags where the toolchain recorded nothing", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			stamp{version: "v1.2.0", revision: rev, commitTime: "2026-11-25T20:22:58Z", modified: "false"},
			Info{Version: "v1.2.0", Revision: rev, Time: "2026-11-25T20:22:58Z", Modified: &no}},
		{"the toolchain wins over -ldflags",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.3.0"}, Settings: settings("vcs.revision", rev, "vcs.modified", "false")},
			stamp{version: "v9", revision: "feed", commitTime: "then", modified: "true"},
			Info{Version: "v1.3.0", Revision: rev, Modified: &no}},
		{"go install module@version: a version, no revision", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, stamp{},
			Info{Version: "v1.2.0", Revision: Unknown}},
		{"a revision without a modified flag says nothing of it", nil, stamp{revision: rev},
			Info{Version: Unknown, Revision: rev}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, fromBuild(tc.bi, tc.ld))
		})
	}
}

func TestString(t *testing.T) {
	yes := true
	assert.Equal(t, "unknown (revision unknown)", Info{Version: Unknown, Revision: Unknown}.String())
	assert.Equal(t, "v1.2.0 (revision 5cd8c5e37b60, 2026-11-25T20:22:58Z, modified)",
		Info{Version: "v1.2.0", Revision: "5cd8c5e37b605fb4f9ddd428e692849f3a73a013", Time: "2026-11-25T20:22:58Z", Modified: &yes}.String())
}

// TestLinkerStamp builds a program that prints Current(), with the
// toolchain's VCS stamp off, with and without -ldflags: the variable names
// the build scripts set are the ones this package reads.
func TestLinkerStamp(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "printversion")
	build := func(ldflags string) Info {
		t.Helper()
		out, err := exec.Command("go", "build", "-buildvcs=false", "-ldflags="+ldflags, "-o", bin, "./testdata/printversion").CombinedOutput()
		require.NoError(t, err, "%s", out)
		out, err = exec.Command(bin).Output()
		require.NoError(t, err)
		var info Info
		require.NoError(t, json.Unmarshal(out, &info))
		return info
	}
	assert.Equal(t, Info{Version: Unknown, Revision: Unknown}, build(""), "no stamp: unknown, not a guess")
	pkg := "github.com/gilkit/gilkit/gilctl/internal/version."
	got := build(strings.Join([]string{"-X=" + pkg + "version=v1.2.0", "-X=" + pkg + "revision=abc123", "-X=" + pkg + "commitTime=2026-11-25T20:22:58Z", "-X=" + pkg + "modified=true"}, " "))
	yes := true
	assert.Equal(t, Info{Version: "v1.2.0", Revision: "abc123", Time: "2026-11-25T20:22:58Z", Modified: &yes}, got)
}
