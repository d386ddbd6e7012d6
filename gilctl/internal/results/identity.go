package results

import (
	"fmt"
	"strconv"
	"strings"
)

// Interpreter identifies who produced a result.
type Interpreter struct {
	// Name is gilctl's short name: "3.12", "3.13t", "3.13t+gil".
	Name string `json:"name"`
	// Version is the release, e.g. "3.13.15".
	Version        string  `json:"version"`
	FreeThreaded   bool    `json:"free_threaded"`
	GILEnabled     bool    `json:"gil_enabled"`
	SwitchInterval float64 `json:"switch_interval"`
	// Source says which source tarball the interpreter was built from,
	// when provisioning recorded it; nil when unknown.
	Source *Source `json:"source,omitempty"`
}

// Source identifies the source an interpreter was built from, so that a GIL
// build and a free-threaded build can be recognised as the same code.
type Source struct {
	Version string `json:"version"`
	// Tarball and SHA256 name the source tarball; both are empty for an
	// interpreter assembled from Debian's binary packages, which is
	// therefore never "the same source" as any build.
	Tarball string `json:"tarball"`
	SHA256  string `json:"sha256"`
	// Origin says where it came from (python.org, a Debian source
	// package, a user's folder, or "debian-binary").
	Origin string `json:"origin"`
	// Package is, for "debian-binary", the interpreter's Debian package
	// and version, e.g. "libpython3.15 3.15.2-1".
	Package string `json:"package,omitempty"`
}

// Build describes the build in words: "GIL build" or "free-threaded build".
func (i Interpreter) Build() string {
	if i.FreeThreaded {
		return "free-threaded build"
	}
	return "GIL build"
}

// GIL describes the GIL at run time: "GIL on" or "GIL off".
func (i Interpreter) GIL() string {
	if i.GILEnabled {
		return "GIL on"
	}
	return "GIL off"
}

// Version is a CPython release number, compared numerically (3.9 < 3.10).
type Version [3]int

// ParseVersion reads "3.13.15", "3.13" or "3.14.0rc1" (the pre-release tag
// is ignored). It fails on anything that does not start with a number.
func ParseVersion(s string) (Version, error) {
	var v Version
	parts := strings.SplitN(s, ".", 3)
	for i, p := range parts {
		end := 0
		for end < len(p) && p[end] >= '0' && p[end] <= '9' {
			end++
		}
		if end == 0 {
			return Version{}, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		n, err := strconv.Atoi(p[:end])
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %w", s, err)
		}
		v[i] = n
		if end < len(p) {
			break // "0rc1": the rest is a pre-release tag
		}
	}
	return v, nil
}

// Compare returns -1, 0 or 1 as v is older than, the same as or newer than w.
func (v Version) Compare(w Version) int {
	for i := range v {
		switch {
		case v[i] < w[i]:
			return -1
		case v[i] > w[i]:
			return 1
		}
	}
	return 0
}

// AtLeast reports whether v is w or newer.
func (v Version) AtLeast(w Version) bool { return v.Compare(w) >= 0 }

// String is "3.13.15".
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }
