package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// apt runs apt-get and apt-cache against a private state in dir: its own
// sources list (one line: the archive), lists, package cache and an empty
// dpkg status, so the system's apt setup is neither read for sources nor
// written, and nothing is installed. The system's apt.conf.d still applies
// (a proxy configured there keeps working).
type apt struct {
	dir     string
	archive string // the source line, e.g. "deb http://deb.debian.org/debian sid main"
	opts    []string
}

func newApt(dir, archive string) (*apt, error) {
	if _, err := exec.LookPath("apt-get"); err != nil {
		return nil, fmt.Errorf("debpython: Debian's binary packages need apt-get (and dpkg-deb), which this machine lacks")
	}
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		return nil, fmt.Errorf("debpython: unpacking Debian's packages needs dpkg-deb, which this machine lacks")
	}
	archive = strings.Join(strings.Fields(archive), " ")
	if !strings.HasPrefix(archive, "deb ") {
		return nil, fmt.Errorf("debpython: %q is not an apt source line (deb URI SUITE COMPONENT...)", archive)
	}
	for _, d := range []string{"lists/partial", "archives/partial", "cache", "debs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("debpython: %w", err)
		}
	}
	list := filepath.Join(dir, "sources.list")
	if err := os.WriteFile(list, []byte(archive+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("debpython: %w", err)
	}
	a := &apt{dir: dir, archive: strings.TrimPrefix(archive, "deb "), opts: []string{
		"-o", "Dir::Etc::SourceList=" + list,
		"-o", "Dir::Etc::SourceParts=/dev/null",
		"-o", "Dir::State::Lists=" + filepath.Join(dir, "lists"),
		"-o", "Dir::State::status=/dev/null",
		"-o", "Dir::Cache=" + filepath.Join(dir, "cache"),
		"-o", "Dir::Cache::Archives=" + filepath.Join(dir, "archives"),
		// As root apt downloads as the user _apt, who may not write
		// into a private folder under root's home.
		"-o", "APT::Sandbox::User=root",
		// Only the Packages index is needed, not translations or the
		// (large) AppStream metadata a system may have enabled.
		"-o", "Acquire::Languages=none",
		"-o", "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false",
		"-o", "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false",
		"-o", "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false",
		"-o", "Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled=false",
		"-o", "Acquire::IndexTargets::deb::CNF::DefaultEnabled=false",
	}}
	return a, nil
}

func (a *apt) run(dir, tool string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.Command(tool, append(append([]string{}, a.opts...), args...)...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

var failedFetch = regexp.MustCompile(`(?m)^(W|E): (Failed to fetch|Some index files failed).*$`)

// update fetches the archive's package lists. apt-get update exits 0 even
// when nothing could be fetched: a Packages list must be there afterwards.
func (a *apt) update() error {
	out, errb, err := a.run(a.dir, "apt-get", "-q", "update")
	log := append(out, errb...)
	_ = os.WriteFile(filepath.Join(a.dir, "update.log"), log, 0o644)
	lists, _ := filepath.Glob(filepath.Join(a.dir, "lists", "*_Packages*"))
	if err != nil || len(lists) == 0 || failedFetch.Match(log) {
		why := firstLine(failedFetch.Find(log))
		if why == "" {
			why = firstLine(errb)
		}
		if why == "" {
			why = "no package list arrived"
		}
		return fmt.Errorf("debpython: Debian's archive (%s) is unreachable: %s (log: %s)", a.archive, why, filepath.Join(a.dir, "update.log"))
	}
	return nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

var unableToLocate = regexp.MustCompile(`Unable to locate package (\S+)|Can't select (?:candidate )?version.* package (\S+)`)

// download fetches the candidate version of each named package into
// dir/debs and returns what it got. apt checks each file against the
// SHA256 of the archive's signed index.
func (a *apt) download(names []string) ([]Deb, error) {
	debsDir := filepath.Join(a.dir, "debs")
	_, errb, err := a.run(debsDir, "apt-get", append([]string{"-q", "download"}, names...)...)
	if err != nil {
		if m := unableToLocate.FindSubmatch(errb); m != nil {
			name := string(m[1])
			if name == "" {
				name = string(m[2])
			}
			return nil, fmt.Errorf("debpython: Debian's archive (%s) has no package %s", a.archive, name)
		}
		return nil, fmt.Errorf("debpython: apt-get download %s: %s", strings.Join(names, " "), firstLine(errb))
	}
	var got []Deb
	for _, n := range names {
		d, err := a.find(debsDir, n)
		if err != nil {
			return nil, err
		}
		got = append(got, d)
	}
	return got, nil
}

// clean removes the packages an earlier run downloaded: every file in
// dir/debs is then one this run chose.
func (a *apt) clean() error {
	files, _ := filepath.Glob(filepath.Join(a.dir, "debs", "*.deb"))
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("debpython: %w", err)
		}
	}
	return nil
}

// find returns the .deb of package name that apt-get download just wrote
// (NAME_VERSION_ARCH.deb; clean emptied the folder first), checked against
// the archive's index.
func (a *apt) find(dir, name string) (Deb, error) {
	files, _ := filepath.Glob(filepath.Join(dir, name+"_*.deb"))
	if len(files) != 1 {
		return Deb{}, fmt.Errorf("debpython: apt-get download %s left %d files %s_*.deb in %s, want 1", name, len(files), name, dir)
	}
	d, err := readDeb(files[0])
	if err != nil {
		return Deb{}, err
	}
	if d.Name != name {
		return Deb{}, fmt.Errorf("debpython: %s holds package %s, not %s", files[0], d.Name, name)
	}
	want, err := a.indexSHA256(d.Name, d.Version, d.Arch)
	if err != nil {
		return Deb{}, err
	}
	if want != d.SHA256 {
		return Deb{}, fmt.Errorf("debpython: %s has sha256 %s, but Debian's index says %s for %s %s", d.Path, d.SHA256, want, d.Name, d.Version)
	}
	return d, nil
}

// indexSHA256 is the SHA256 the archive's index lists for a package.
func (a *apt) indexSHA256(name, version, arch string) (string, error) {
	out, errb, err := a.run(a.dir, "apt-cache", "show", name+":"+arch+"="+version)
	if err != nil {
		return "", fmt.Errorf("debpython: apt-cache show %s=%s: %s", name, version, firstLine(errb))
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "SHA256: "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("debpython: Debian's index lists no SHA256 for %s %s", name, version)
}

// sections returns the archive section of each named package (its
// candidate version); a name with no candidate (a purely virtual
// package) is missing from the map.
func (a *apt) sections(names []string) (map[string]string, error) {
	m := map[string]string{}
	if len(names) == 0 {
		return m, nil
	}
	// apt-cache exits non-zero when one name is purely virtual, after
	// printing the others.
	out, errb, err := a.run(a.dir, "apt-cache", append([]string{"show", "--no-all-versions"}, names...)...)
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("debpython: apt-cache show: %s", firstLine(errb))
	}
	for _, rec := range bytes.Split(out, []byte("\n\n")) {
		f := controlFields(rec)
		if f["Package"] != "" {
			m[f["Package"]] = f["Section"]
		}
	}
	return m, nil
}
