// Command debpython provisions a CPython X.Y GIL build from Debian's binary
// packages, for machines where no source tarball of X.Y is reachable. It is
// run by scripts/pythons.sh; by hand:
//
//	go run ./scripts/debpython -downloads ~/.cache/gilkit/pythons/src/debian-3.15 3.15 ~/.cache/gilkit/pythons/3.15-debian
//
// It downloads libpythonX.Y, libpythonX.Y-dev, libpythonX.Y-stdlib,
// libpythonX.Y-minimal and pythonX.Y-minimal from Debian sid with apt-get and
// a private apt state (the system's lists, status and configuration of
// sources stay untouched; nothing is installed), then the runtime libraries
// they need, glibc included, and unpacks everything into PREFIX laid out as
// a CPython installed there:
//
//	PREFIX/bin/pythonX.Y            a python linked against PREFIX's libpython
//	PREFIX/lib/libpythonX.Y.so*     with glibc, its loader and the libraries the stdlib links
//	PREFIX/lib/pythonX.Y/           the standard library (lib-dynload inside)
//	PREFIX/include/pythonX.Y/       the headers (Debian's multiarch pyconfig.h in place)
//	PREFIX/lib/pkgconfig/python-X.Y-embed.pc, python3-embed.pc -> it
//	PREFIX/gilkit-source.json       origin "debian-binary": every package, its version and sha256
//
// Debian sid's binaries need a newer glibc than a stable release has (sid's
// libpython3.15 asks for GLIBC_2.38, its extension modules for 2.42), so
// the prefix brings sid's glibc and every program that loads its libpython
// must be started by sid's loader: such programs are linked with the flags
// in the pkg-config variable gilkit_ldflags (--dynamic-linker into PREFIX,
// an rpath that every library of the process is looked up in). Programs
// linked that way use only PREFIX's libraries; the rest of the system is
// untouched. scripts/with-python.sh adds the flags for gilkit's builds.
//
// The prefix appears at PREFIX in one rename once it is complete; it is
// then checked (every library any of its ELF files needs is in PREFIX/lib;
// python starts with sys.prefix PREFIX and imports the modules gilkit
// uses) and removed again when the check fails. Exit status 1 with one
// line saying why when it cannot be done.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// DefaultArchive is the apt source line the packages come from.
const DefaultArchive = "deb http://deb.debian.org/debian sid main"

func main() {
	fs := flag.NewFlagSet("debpython", flag.ContinueOnError)
	downloads := fs.String("downloads", "", "folder for the downloaded packages and the private apt state (default: PREFIX.downloads)")
	archive := fs.String("archive", envOr("GILKIT_DEBIAN_ARCHIVE", DefaultArchive), "apt source line to download from ($GILKIT_DEBIAN_ARCHIVE)")
	cc := fs.String("cc", envOr("CC", "cc"), "C compiler that links PREFIX/bin/pythonX.Y ($CC)")
	compile := fs.Bool("compile", true, "byte-compile the standard library (as make install does)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: debpython [flags] X.Y PREFIX")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() != 2 {
		fs.Usage()
		os.Exit(2)
	}
	opts := Options{Version: fs.Arg(0), Prefix: fs.Arg(1), Downloads: *downloads, Archive: *archive, CC: *cc, Compile: *compile, Log: logf}
	if err := Provision(opts); err != nil {
		fmt.Fprintf(os.Stderr, "gilkit: %v\n", err)
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "gilkit: "+format+"\n", args...) }

// Options says what to provision where.
type Options struct {
	Version   string // "3.15"
	Prefix    string // absolute, or made absolute
	Downloads string // default Prefix + ".downloads"
	Archive   string // an apt source line
	CC        string
	Compile   bool
	Log       func(format string, args ...any)
}

var versionRE = regexp.MustCompile(`^3\.[0-9]+$`)

// Provision downloads, assembles and checks the prefix.
func Provision(o Options) error {
	if !versionRE.MatchString(o.Version) {
		return fmt.Errorf("debpython: %q is not a CPython version X.Y (a GIL build: Debian builds no free-threaded variant)", o.Version)
	}
	prefix, err := filepath.Abs(o.Prefix)
	if err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	o.Prefix = prefix
	if o.Downloads == "" {
		o.Downloads = prefix + ".downloads"
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	started := time.Now()
	apt, err := newApt(o.Downloads, o.Archive)
	if err != nil {
		return err
	}
	o.Log("fetching CPython %s from Debian's binary packages (%s) into %s", o.Version, apt.archive, o.Downloads)
	if err := apt.update(); err != nil {
		return err
	}
	debs, err := fetchClosure(apt, pythonPackages(o.Version))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(prefix), 0o755); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	staging, err := os.MkdirTemp(filepath.Dir(prefix), filepath.Base(prefix)+".partial.")
	if err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	defer os.RemoveAll(staging)
	root := filepath.Join(staging, "root")
	for _, d := range debs {
		if err := unpack(d.Path, root); err != nil {
			return err
		}
	}
	dest := filepath.Join(staging, "prefix")
	lay, err := assemble(root, dest, prefix, o.Version)
	if err != nil {
		return err
	}
	lay.PackageVersion = debs[0].Version // libpythonX.Y, the first asked for
	if err := lay.writePkgConfig(dest); err != nil {
		return err
	}
	if err := rewriteSysconfig(dest, lay); err != nil {
		return err
	}
	if err := linkPython(o.CC, dest, lay); err != nil {
		return err
	}
	if err := checkClosure(dest); err != nil {
		return err
	}
	if err := writeRecord(dest, Record{Version: lay.PatchVersion, Origin: OriginDebianBinary, Archive: apt.archive, Packages: records(debs)}); err != nil {
		return err
	}
	if err := os.RemoveAll(prefix); err != nil {
		return fmt.Errorf("debpython: removing the unusable %s: %w", prefix, err)
	}
	if err := os.Rename(dest, prefix); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	// The paths inside (loader, rpath) are PREFIX's: only now can its
	// python run.
	if err := checkPython(prefix, lay, o.Compile, o.Log); err != nil {
		if rmErr := os.RemoveAll(prefix); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
		return err
	}
	elapsed := time.Since(started).Round(time.Second)
	o.Log("provisioned CPython %s (Debian %s %s, glibc %s in the prefix) in %s in %s", lay.PatchVersion, lay.PythonPackage, lay.PackageVersion, glibcOf(debs), prefix, elapsed)
	return nil
}

// glibcOf is the version of the libc6 package among debs.
func glibcOf(debs []Deb) string {
	for _, d := range debs {
		if d.Name == "libc6" {
			return d.Version
		}
	}
	return "?"
}
