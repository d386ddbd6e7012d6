package embed

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// SourceFile is the file in an interpreter's prefix (sys.prefix) where
// gilkit's provisioning records the source tarball it built the
// interpreter from.
const SourceFile = "gilkit-source.json"

// Source says which upstream source tarball an interpreter was built from.
// Two builds with the same SHA256 (say 3.13 and 3.13t) differ only in how
// they were configured, so their difference in speed is the cost of that
// configuration (free-threading) and nothing else.
type Source struct {
	// Version is the CPython release inside the tarball, e.g. "3.13.15".
	Version string `json:"version"`
	// Tarball is the tarball's file name, e.g. "Python-3.13.15.tar.xz".
	Tarball string `json:"tarball"`
	// SHA256 is the tarball's checksum in hex.
	SHA256 string `json:"sha256"`
	// Origin is where the tarball came from: "python.org", "debian" (the
	// upstream tarball of Debian's source package) or "GILKIT_SOURCES" (a
	// folder of tarballs the user brought).
	Origin string `json:"origin"`
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// readSource reads prefix's SourceFile: nil without error when there is
// none (an interpreter gilkit did not build, e.g. pyenv's), an error when
// it exists but does not describe a source.
func readSource(prefix string) (*Source, error) {
	path := filepath.Join(prefix, SourceFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("embed: reading the interpreter's source record: %w", err)
	}
	var s Source
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("embed: %s: %w", path, err)
	}
	if s.Version == "" || s.Tarball == "" || !sha256Hex.MatchString(s.SHA256) {
		return nil, fmt.Errorf("embed: %s: needs a version, a tarball and a sha256 of 64 hex digits, has %+v", path, s)
	}
	return &s, nil
}
