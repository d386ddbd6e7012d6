package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Deb is one downloaded package.
type Deb struct {
	Name, Version, Arch string
	Path                string
	SHA256              string
	// Depends holds the names of Depends and Pre-Depends, the first of
	// each group of alternatives, without versions.
	Depends []string
}

// pythonPackages are the packages whose files make up the interpreter:
// libpython (the shared library), -dev (headers, pkg-config files),
// -stdlib and -minimal (the standard library), pythonX.Y-minimal (the
// python binary, whose program interpreter names glibc's loader).
func pythonPackages(ver string) []string {
	return []string{"libpython" + ver, "libpython" + ver + "-dev", "libpython" + ver + "-stdlib", "libpython" + ver + "-minimal", "python" + ver + "-minimal"}
}

// wanted says whether a dependency is one whose files the prefix needs:
// shared libraries (Debian's section libs), not programs, development
// files or data (tzdata, netbase and media-types are read from the
// system, as any program does).
func wanted(section string) bool {
	section = section[strings.LastIndex(section, "/")+1:] // "non-free/libs"
	return section == "libs" || section == "oldlibs"
}

// parseDepends turns a Depends field into package names: the first of
// each set of alternatives, without version constraint or architecture
// qualifier ("libc6 (>= 2.38), media-types | mime-support, libfoo:any").
func parseDepends(field string) []string {
	var names []string
	for _, group := range strings.Split(field, ",") {
		alt, _, _ := strings.Cut(group, "|")
		alt = strings.TrimSpace(alt)
		if i := strings.IndexAny(alt, " (["); i >= 0 {
			alt = alt[:i]
		}
		alt, _, _ = strings.Cut(alt, ":")
		if alt != "" {
			names = append(names, alt)
		}
	}
	return names
}

// readDeb reads a package's control fields and checksum.
func readDeb(path string) (Deb, error) {
	out, err := exec.Command("dpkg-deb", "-f", path, "Package", "Version", "Architecture", "Depends", "Pre-Depends").Output()
	if err != nil {
		return Deb{}, fmt.Errorf("debpython: dpkg-deb -f %s: %w", path, err)
	}
	fields := controlFields(out)
	sum, err := sha256File(path)
	if err != nil {
		return Deb{}, err
	}
	d := Deb{Name: fields["Package"], Version: fields["Version"], Arch: fields["Architecture"], Path: path, SHA256: sum}
	for _, f := range []string{"Pre-Depends", "Depends"} {
		d.Depends = append(d.Depends, parseDepends(fields[f])...)
	}
	if d.Name == "" || d.Version == "" {
		return Deb{}, fmt.Errorf("debpython: %s has no Package or Version field", path)
	}
	return d, nil
}

// controlFields parses "Key: value" lines with continuation lines.
func controlFields(b []byte) map[string]string {
	m := map[string]string{}
	var last string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && last != "" {
			m[last] += " " + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = k
		m[k] = strings.TrimSpace(v)
	}
	return m
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("debpython: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("debpython: reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fetchClosure downloads the python packages, then, round by round, the
// shared-library packages they depend on. The ELF check after assembling
// (checkClosure) is what proves nothing is missing; this walk is how the
// packages are found.
func fetchClosure(a *apt, start []string) ([]Deb, error) {
	if err := a.clean(); err != nil {
		return nil, err
	}
	have := map[string]bool{}
	var all []Deb
	next := start
	for _, n := range next {
		have[n] = true
	}
	for len(next) > 0 {
		got, err := a.download(next)
		if err != nil {
			return nil, err
		}
		all = append(all, got...)
		var deps []string
		for _, d := range got {
			for _, dep := range d.Depends {
				if !have[dep] && !contains(deps, dep) {
					deps = append(deps, dep)
				}
			}
		}
		sort.Strings(deps)
		sections, err := a.sections(deps)
		if err != nil {
			return nil, err
		}
		next = nil
		for _, dep := range deps {
			have[dep] = true
			if wanted(sections[dep]) {
				next = append(next, dep)
			}
		}
	}
	return all, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// unpack extracts a package's files into root.
func unpack(deb, root string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	if out, err := exec.Command("dpkg-deb", "-x", deb, root).CombinedOutput(); err != nil {
		return fmt.Errorf("debpython: dpkg-deb -x %s: %v: %s", filepath.Base(deb), err, strings.TrimSpace(string(out)))
	}
	return nil
}
