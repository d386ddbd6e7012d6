package main

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// layout is what assembling found out about the packages.
type layout struct {
	Version        string // "3.15"
	PatchVersion   string // "3.15.2", from patchlevel.h
	Triplet        string // "x86_64-linux-gnu", Debian's multiarch folder
	Loader         string // "ld-linux-x86-64.so.2", the python binary's program interpreter
	Prefix         string // the final prefix the paths inside point to
	PythonPackage  string // "libpython3.15"
	PackageVersion string // "3.15.2-1"
	LibsPrivate    string // Libs.private of Debian's embed .pc
	Dropped        []string
}

// rule maps a folder (or one file) of the unpacked packages to a place in
// the prefix; an empty To drops it.
type rule struct{ From, To string }

func (l layout) rules() []rule {
	v, t := l.Version, l.Triplet
	return []rule{
		// Regenerated for the prefix (writePkgConfig); the static library
		// is of no use to gilkit.
		{"usr/lib/" + t + "/pkgconfig", ""},
		// Plug-ins glibc and OpenSSL look for under the system's /usr
		// (compiled-in paths), never in the prefix.
		{"usr/lib/" + t + "/gconv", ""},
		{"usr/lib/" + t + "/engines-3", ""},
		{"usr/lib/" + t + "/ossl-modules", ""},
		{"usr/lib/" + t + "/libpython" + v + ".a", ""},
		{"usr/lib/python" + v + "/config-" + v + "-" + t + "/libpython" + v + ".a", ""},
		{"usr/lib/python" + v + "/config-" + v + "-" + t + "/libpython" + v + "-pic.a", ""},
		// Debian splits pyconfig.h per architecture and puts a wrapper
		// that includes <TRIPLET/pythonX.Y/pyconfig.h> in its place.
		{"usr/include/" + t + "/python" + v + "/pyconfig.h", "include/python" + v + "/pyconfig.h"},
		{"usr/include/python" + v + "/pyconfig.h", ""},
		{"usr/include/python" + v, "include/python" + v},
		{"usr/lib/python" + v, "lib/python" + v},
		{"usr/lib/" + t, "lib"},
		{"lib/" + t, "lib"}, // packages from before the /usr merge
	}
}

// dest maps a path of the unpacked tree (relative, slash-separated) to its
// place in the prefix: the most specific rule wins.
func (l layout) dest(rel string) (string, bool) {
	best := -1
	var to string
	for _, r := range l.rules() {
		if rel == r.From || strings.HasPrefix(rel, r.From+"/") {
			if len(r.From) > best {
				best = len(r.From)
				if r.To == "" {
					to = ""
				} else {
					to = r.To + strings.TrimPrefix(rel, r.From)
				}
			}
		}
	}
	if best < 0 || to == "" {
		return "", false
	}
	return to, true
}

var pyVersionRE = regexp.MustCompile(`(?m)^#define\s+PY_VERSION\s+"([^"]+)"`)

// assemble moves the unpacked packages from root into dest, laid out as a
// prefix that will live at prefix.
func assemble(root, dest, prefix, ver string) (layout, error) {
	l := layout{Version: ver, Prefix: prefix, PythonPackage: "libpython" + ver}
	libs, _ := filepath.Glob(filepath.Join(root, "usr/lib/*/libpython"+ver+".so.1.0"))
	if len(libs) != 1 {
		return l, fmt.Errorf("debpython: the packages hold no usr/lib/TRIPLET/libpython%s.so.1.0 (found %d)", ver, len(libs))
	}
	l.Triplet = filepath.Base(filepath.Dir(libs[0]))
	loader, err := programInterpreter(filepath.Join(root, "usr/bin/python"+ver))
	if err != nil {
		return l, err
	}
	l.Loader = path.Base(loader)
	if b, err := os.ReadFile(filepath.Join(root, "usr/include/python"+ver, "patchlevel.h")); err == nil {
		if m := pyVersionRE.FindSubmatch(b); m != nil {
			l.PatchVersion = string(m[1])
		}
	}
	if l.PatchVersion == "" {
		return l, fmt.Errorf("debpython: the packages hold no usr/include/python%s/patchlevel.h naming the release", ver)
	}
	pc, err := os.ReadFile(filepath.Join(root, "usr/lib", l.Triplet, "pkgconfig", "python-"+ver+"-embed.pc"))
	if err != nil {
		return l, fmt.Errorf("debpython: libpython%s-dev holds no python-%s-embed.pc: %w", ver, ver, err)
	}
	l.LibsPrivate = controlFields(pc)["Libs.private"]

	// Files and folders first, then symbolic links, whose targets must be
	// mapped too.
	type link struct{ rel, target string }
	var links []link
	placed := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		to, ok := l.dest(rel)
		if !ok {
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			links = append(links, link{rel, target})
			placed[to] = true
		case d.IsDir():
			if err := os.MkdirAll(filepath.Join(dest, to), 0o755); err != nil {
				return err
			}
		default:
			if err := moveFile(p, filepath.Join(dest, to)); err != nil {
				return err
			}
			placed[to] = true
		}
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("debpython: assembling the prefix: %w", err)
	}
	for _, k := range links {
		to, _ := l.dest(k.rel)
		// The target, as a path in the unpacked tree.
		t := k.target
		if !path.IsAbs(t) {
			t = path.Join(path.Dir("/"+k.rel), t)
		}
		t = strings.TrimPrefix(path.Clean(t), "/")
		if tto, ok := l.dest(t); ok && placed[tto] {
			rel, _ := filepath.Rel(filepath.Dir(filepath.Join(dest, to)), filepath.Join(dest, tto))
			if err := os.Symlink(rel, filepath.Join(dest, to)); err != nil {
				return l, fmt.Errorf("debpython: %w", err)
			}
			continue
		}
		// A link out of what the prefix holds (Debian's sitecustomize.py
		// -> /etc/pythonX.Y/sitecustomize.py): the file itself when the
		// packages have it, otherwise nothing.
		if st, err := os.Stat(filepath.Join(root, t)); err == nil && st.Mode().IsRegular() {
			if err := copyFile(filepath.Join(root, t), filepath.Join(dest, to)); err != nil {
				return l, err
			}
			continue
		}
		l.Dropped = append(l.Dropped, k.rel+" -> "+k.target)
	}
	sort.Strings(l.Dropped)
	if _, err := os.Stat(filepath.Join(dest, "lib", l.Loader)); err != nil {
		return l, fmt.Errorf("debpython: the packages hold no %s (python%s's program interpreter) for lib/", l.Loader, ver)
	}
	return l, nil
}

// programInterpreter reads PT_INTERP of an ELF executable.
func programInterpreter(exe string) (string, error) {
	f, err := elf.Open(exe)
	if err != nil {
		return "", fmt.Errorf("debpython: %w", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b, err := io.ReadAll(p.Open())
			if err != nil {
				return "", fmt.Errorf("debpython: %s: %w", exe, err)
			}
			return strings.TrimRight(string(b), "\x00"), nil
		}
	}
	return "", fmt.Errorf("debpython: %s has no program interpreter", exe)
}

// moveFile renames src to dst (both under the cache: one file system),
// copying when that fails.
func moveFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	return copyFile(src, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// checkClosure proves the prefix self-contained: every shared library an
// ELF file in it needs (DT_NEEDED) is in lib/. A program linked with
// gilkit_ldflags looks libraries up there first, so one that is missing
// would come from the system, built against another glibc.
func checkClosure(dest string) error {
	have := map[string]bool{}
	entries, err := os.ReadDir(filepath.Join(dest, "lib"))
	if err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	for _, e := range entries {
		have[e.Name()] = true
	}
	missing := map[string][]string{}
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := elf.Open(p)
		if err != nil {
			return nil // not an ELF file
		}
		defer f.Close()
		needed, err := f.ImportedLibraries()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dest, p)
		for _, n := range needed {
			if !have[n] {
				missing[n] = append(missing[n], rel)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("debpython: checking the prefix's libraries: %w", err)
	}
	if len(missing) == 0 {
		return nil
	}
	var parts []string
	for n, by := range missing {
		sort.Strings(by)
		parts = append(parts, fmt.Sprintf("%s (needed by %s)", n, strings.Join(by, ", ")))
	}
	sort.Strings(parts)
	return errors.New("debpython: the prefix lacks shared libraries its files need, which Debian's package dependencies did not bring: " + strings.Join(parts, "; "))
}
