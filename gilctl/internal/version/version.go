// Package version says which gilkit a gilctl binary was built from: the
// module version and the VCS revision, as the Go toolchain records them
// (runtime/debug.ReadBuildInfo), or as the build passed them with -ldflags
// where the toolchain could not (a build from a tree without .git, or with
// -buildvcs=false). What neither knows is "unknown", never a guess.
package version

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// Unknown is the value of a field nobody recorded.
const Unknown = "unknown"

// Set by scripts/build-gilctl.sh with
// -ldflags "-X github.com/gilkit/gilkit/gilctl/internal/version.revision=...",
// and read only when the build info has no VCS stamp.
var (
	version    string // a module version: v1.2.0, v0.0.0-20261125202258-5cd8c5e37b60
	revision   string // the full commit hash
	commitTime string // the commit's time, RFC 3339
	modified   string // "true" when the tree had changes beyond the commit
)

// Info identifies a build of gilkit. Every JSON document gilctl writes
// carries it, beside the interpreter and the machine.
type Info struct {
	// Version is the module version (a release tag such as v1.2.0, or a
	// pseudo-version that names the commit), or "unknown".
	Version string `json:"version"`
	// Revision is the VCS commit, or "unknown".
	Revision string `json:"revision"`
	// Time is the commit's time (RFC 3339), when known.
	Time string `json:"time,omitempty"`
	// Modified says whether the tree had uncommitted changes; nil when
	// the revision is unknown.
	Modified *bool `json:"modified,omitempty"`
}

// Current describes the running binary.
func Current() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, stamp{version, revision, commitTime, modified})
}

// stamp holds what -ldflags set.
type stamp struct{ version, revision, commitTime, modified string }

// fromBuild prefers what the toolchain recorded and falls back on the
// -ldflags stamp, field by field.
func fromBuild(bi *debug.BuildInfo, ld stamp) Info {
	info := Info{Version: Unknown, Revision: Unknown}
	var vcs stamp
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			vcs.version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				vcs.revision = s.Value
			case "vcs.time":
				vcs.commitTime = s.Value
			case "vcs.modified":
				vcs.modified = s.Value
			}
		}
	}
	src := ld
	if vcs.revision != "" {
		src = vcs // one source for revision, time and modified: they belong together
	}
	if v := firstOf(vcs.version, ld.version); v != "" {
		info.Version = v
	}
	if src.revision != "" {
		info.Revision = src.revision
		info.Time = src.commitTime
		if m, err := strconv.ParseBool(src.modified); err == nil {
			info.Modified = &m
		}
	}
	return info
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// Short is the revision's first 12 characters, as Go's pseudo-versions
// write it, or "unknown".
func (i Info) Short() string {
	if len(i.Revision) > 12 && i.Revision != Unknown {
		return i.Revision[:12]
	}
	return i.Revision
}

// String is one line: "v1.2.0 (revision 5cd8c5e37b60, 2026-11-25T20:22:58Z,
// modified)", or "unknown (revision unknown)".
func (i Info) String() string {
	parts := []string{"revision " + i.Short()}
	if i.Time != "" {
		parts = append(parts, i.Time)
	}
	if i.Modified != nil && *i.Modified {
		parts = append(parts, "modified")
	}
	return fmt.Sprintf("%s (%s)", i.Version, strings.Join(parts, ", "))
}
