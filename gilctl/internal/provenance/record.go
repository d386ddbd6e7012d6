// Package provenance reads the record gilkit's provisioning writes into an
// interpreter's prefix (gilkit-source.json): the source tarball a build
// came from, or the Debian binary packages a prefix was assembled from.
// Two builds of one tarball (3.13 and 3.13t) differ only in how they were
// configured, which is what lets check attribute their difference in speed
// to free-threading. The writers are scripts/lib-source.sh (source builds)
// and scripts/debpython (Debian's binary packages).
package provenance

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// File is the file in an interpreter's prefix (sys.prefix) that holds its
// Record.
const File = "gilkit-source.json"

// Record says what an interpreter was built from: an upstream source
// tarball, or Debian's binary packages. Two builds with the same tarball
// SHA256 (say 3.13 and 3.13t) differ only in how they were configured, so
// their difference in speed is the cost of that configuration
// (free-threading) and nothing else.
type Record struct {
	// Version is the CPython release, e.g. "3.13.15".
	Version string `json:"version"`
	// Tarball is the tarball's file name, e.g. "Python-3.13.15.tar.xz";
	// empty for OriginDebianBinary.
	Tarball string `json:"tarball,omitempty"`
	// SHA256 is the tarball's checksum in hex; empty for
	// OriginDebianBinary (whose packages carry their own).
	SHA256 string `json:"sha256,omitempty"`
	// Origin is where it came from: "python.org", "debian" (the upstream
	// tarball of Debian's source package), "GILKIT_SOURCES" (a folder of
	// tarballs the user brought) or OriginDebianBinary.
	Origin string `json:"origin"`
	// Archive is the apt source the packages came from
	// ("http://deb.debian.org/debian sid main"); OriginDebianBinary only.
	Archive string `json:"archive,omitempty"`
	// Packages are the Debian packages unpacked into the prefix
	// (OriginDebianBinary only): the interpreter's first, then the
	// runtime libraries it brings (glibc among them).
	Packages []Package `json:"packages,omitempty"`
}

// OriginDebianBinary is the Origin of an interpreter assembled from
// Debian's binary packages rather than built from a source tarball.
const OriginDebianBinary = "debian-binary"

// Package is one Debian binary package an interpreter was assembled from.
type Package struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Architecture string `json:"architecture"`
	// File is the .deb's file name.
	File string `json:"file"`
	// SHA256 is the .deb's checksum in hex, as Debian's signed index lists it.
	SHA256 string `json:"sha256"`
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Read reads prefix's File: nil without error when there is none (an
// interpreter gilkit did not provision, e.g. pyenv's or a system Python),
// an error naming the file when it exists but does not describe a source.
func Read(prefix string) (*Record, error) {
	path := filepath.Join(prefix, File)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the interpreter's source record: %w", err)
	}
	var s Record
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

func (s Record) validate() error {
	if s.Origin != OriginDebianBinary {
		if s.Version == "" || s.Tarball == "" || !sha256Hex.MatchString(s.SHA256) {
			return fmt.Errorf("needs a version, a tarball and a sha256 of 64 hex digits, has %+v", s)
		}
		return nil
	}
	if s.Version == "" || len(s.Packages) == 0 {
		return fmt.Errorf("a %s record needs a version and its packages, has %+v", OriginDebianBinary, s)
	}
	for _, p := range s.Packages {
		if p.Name == "" || p.Version == "" || !sha256Hex.MatchString(p.SHA256) {
			return fmt.Errorf("package %+v needs a name, a version and a sha256 of 64 hex digits", p)
		}
	}
	return nil
}
