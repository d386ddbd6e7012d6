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

// Source says what an interpreter was built from: an upstream source
// tarball, or Debian's binary packages. Two builds with the same tarball
// SHA256 (say 3.13 and 3.13t) differ only in how they were configured, so
// their difference in speed is the cost of that configuration
// (free-threading) and nothing else.
type Source struct {
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
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("embed: %s: %w", path, err)
	}
	return &s, nil
}

func (s Source) validate() error {
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
