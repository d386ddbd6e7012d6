package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// OriginDebianBinary is the origin of a prefix assembled from Debian's
// binary packages (a source build records where its tarball came from).
const OriginDebianBinary = "debian-binary"

// RecordFile is where a prefix records what it was made from (the file
// gilctl/internal/provenance reads; scripts/lib-source.sh writes it for
// source builds).
const RecordFile = "gilkit-source.json"

// Record is the prefix's gilkit-source.json.
type Record struct {
	Version  string    `json:"version"`
	Origin   string    `json:"origin"`
	Archive  string    `json:"archive"`
	Packages []Package `json:"packages"`
}

// Package is one Debian package in the prefix.
type Package struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Architecture string `json:"architecture"`
	File         string `json:"file"`
	SHA256       string `json:"sha256"`
}

func records(debs []Deb) []Package {
	var ps []Package
	for _, d := range debs {
		ps = append(ps, Package{Name: d.Name, Version: d.Version, Architecture: d.Arch, File: filepath.Base(d.Path), SHA256: d.SHA256})
	}
	return ps
}

func writeRecord(dest string, r Record) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dest, RecordFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	return nil
}
