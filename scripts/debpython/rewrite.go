package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// LDFlags are the link flags a program that loads the prefix's libpython
// needs (the pkg-config variable gilkit_ldflags): started by the prefix's
// glibc loader, with an rpath (DT_RPATH, which unlike DT_RUNPATH also
// applies to the libraries those libraries load, such as the stdlib's
// extension modules' libssl) to the prefix's lib/. The host's linker links
// against the host's older glibc, so the undefined symbols of sid's
// libraries (GLIBC_2.38 versions) are left to the loader.
func LDFlags(libdir, loader string) string {
	return "-Wl,--dynamic-linker=" + libdir + "/" + loader + " -Wl,--disable-new-dtags -Wl,-rpath," + libdir + " -Wl,--allow-shlib-undefined"
}

// pcFile is a pkg-config file of the prefix. embed says which of
// python-X.Y.pc (extensions: no -lpython) and python-X.Y-embed.pc.
func (l layout) pcFile(embed bool) string {
	libs := "-L${libdir}"
	name, desc := "python-"+l.Version, "Build a C extension for Python"
	if embed {
		libs += " -lpython" + l.Version + " -Wl,-rpath,${libdir}"
		name, desc = name+"-embed", "Embed Python into an application"
	}
	_ = name
	return fmt.Sprintf(`# CPython %s from Debian's binary packages (%s %s), as a prefix of its own.
# Programs that load its libpython must be linked with gilkit_ldflags
# (CGO_LDFLAGS="$(pkg-config --variable=gilkit_ldflags python3-embed)"):
# they run on the prefix's glibc.
prefix=%s
exec_prefix=${prefix}
libdir=${exec_prefix}/lib
includedir=${prefix}/include
gilkit_origin=debian-binary
gilkit_ldflags=%s

Name: Python
Description: %s
Requires:
Version: %s
Libs.private: %s
Libs: %s
Cflags: -I${includedir}/python%s
`, l.PatchVersion, l.PythonPackage, l.PackageVersion, l.Prefix, LDFlags("${libdir}", l.Loader), desc, l.Version, l.LibsPrivate, libs, l.Version)
}

// writePkgConfig writes python-X.Y.pc and python-X.Y-embed.pc, and
// python3.pc and python3-embed.pc pointing to them (what
// scripts/with-python.sh and cgo's "pkg-config: python3-embed" look for).
func (l layout) writePkgConfig(dest string) error {
	dir := filepath.Join(dest, "lib", "pkgconfig")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	for _, embed := range []bool{false, true} {
		name := "python-" + l.Version
		alias := "python3"
		if embed {
			name += "-embed"
			alias += "-embed"
		}
		if err := os.WriteFile(filepath.Join(dir, name+".pc"), []byte(l.pcFile(embed)), 0o644); err != nil {
			return fmt.Errorf("debpython: %w", err)
		}
		if err := os.Symlink(name+".pc", filepath.Join(dir, alias+".pc")); err != nil {
			return fmt.Errorf("debpython: %w", err)
		}
	}
	return nil
}

// sysconfigPathKeys are the build-time variables that name where the
// installation lives: sysconfig.get_config_var("LIBDIR") and the like must
// say the prefix, not Debian's /usr. Compiler flags and the like stay as
// Debian built them.
var sysconfigPathKeys = []string{
	"BINDIR", "BINLIBDEST", "CONFINCLUDEDIR", "CONFINCLUDEPY", "DESTLIB", "DESTSHARED", "EXENAME",
	"INCLUDEDIR", "INCLUDEPY", "LIBDEST", "LIBDIR", "LIBPC", "LIBPL", "MACHDESTLIB", "SCRIPTDIR",
	"exec_prefix", "host_exec_prefix", "host_prefix", "prefix",
}

// relocate maps one of Debian's installation paths into the prefix.
func (l layout) relocate(p string) string {
	v, t, P := l.Version, l.Triplet, l.Prefix
	for _, m := range [][2]string{
		{"/usr/include/" + t + "/python" + v, P + "/include/python" + v},
		{"/usr/include", P + "/include"},
		{"/usr/lib/python" + v, P + "/lib/python" + v},
		{"/usr/lib/" + t, P + "/lib"},
		{"/usr/lib", P + "/lib"},
		{"/usr/bin", P + "/bin"},
		{"/usr", P},
	} {
		if p == m[0] || strings.HasPrefix(p, m[0]+"/") {
			return m[1] + strings.TrimPrefix(p, m[0])
		}
	}
	return p
}

// rewriteSysconfig relocates the path variables of every
// _sysconfigdata_*.py of the stdlib (Debian has one per naming scheme;
// the second is a link to the first).
func rewriteSysconfig(dest string, l layout) error {
	files, _ := filepath.Glob(filepath.Join(dest, "lib", "python"+l.Version, "_sysconfigdata_*.py"))
	n := 0
	for _, f := range files {
		if st, err := os.Lstat(f); err != nil || !st.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("debpython: %w", err)
		}
		out, count := l.rewriteSysconfigData(b)
		if count == 0 {
			return fmt.Errorf("debpython: %s names none of the paths it should (prefix, LIBDIR, ...)", f)
		}
		if err := os.WriteFile(f, out, 0o644); err != nil {
			return fmt.Errorf("debpython: %w", err)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("debpython: the stdlib holds no _sysconfigdata_*.py")
	}
	return nil
}

var sysconfigLine = regexp.MustCompile(`^(\s*'([A-Za-z_]+)':\s*')([^'\\]*)(',?\s*)$`)

// rewriteSysconfigData relocates the values of sysconfigPathKeys in the
// text of a _sysconfigdata module and says how many it changed.
func (l layout) rewriteSysconfigData(b []byte) ([]byte, int) {
	keys := map[string]bool{}
	for _, k := range sysconfigPathKeys {
		keys[k] = true
	}
	lines := bytes.Split(b, []byte("\n"))
	n := 0
	for i, line := range lines {
		m := sysconfigLine.FindSubmatch(line)
		if m == nil || !keys[string(m[2])] {
			continue
		}
		v := l.relocate(string(m[3]))
		if v != string(m[3]) {
			lines[i] = []byte(string(m[1]) + v + string(m[4]))
			n++
		}
	}
	return bytes.Join(lines, []byte("\n")), n
}

// pythonMain is CPython's Programs/python.c.
const pythonMain = `#include <Python.h>
int main(int argc, char **argv) { return Py_BytesMain(argc, argv); }
`

// linkPython builds PREFIX/bin/pythonX.Y: Debian's python binary has
// libpython linked in statically and /lib64's loader as its interpreter;
// this one is CPython's own main() linked against the prefix's
// libpython with gilkit_ldflags, like a --enable-shared build's python.
func linkPython(cc, dest string, l layout) error {
	bin := filepath.Join(dest, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	src := filepath.Join(bin, ".python.c")
	if err := os.WriteFile(src, []byte(pythonMain), 0o644); err != nil {
		return fmt.Errorf("debpython: %w", err)
	}
	defer os.Remove(src)
	exe := filepath.Join(bin, "python"+l.Version)
	args := []string{"-O2", "-o", exe, "-I" + filepath.Join(dest, "include", "python"+l.Version), src,
		"-L" + filepath.Join(dest, "lib"), "-lpython" + l.Version}
	args = append(args, strings.Fields(LDFlags(l.Prefix+"/lib", l.Loader))...)
	if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("debpython: linking bin/python%s with %s: %v: %s", l.Version, cc, err, strings.TrimSpace(string(out)))
	}
	for _, alias := range []string{"python3"} {
		if err := os.Symlink("python"+l.Version, filepath.Join(bin, alias)); err != nil {
			return fmt.Errorf("debpython: %w", err)
		}
	}
	return nil
}

// pythonCheck is what the provisioned python must do: know its prefix,
// and import the modules whose libraries the prefix brings.
const pythonCheck = `import sys, ssl, hashlib, sqlite3, ctypes, lzma, bz2, zlib, decimal, json, uuid, multiprocessing, asyncio
print(sys.prefix)
print(sys.version.split()[0])
`

// checkPython runs the provisioned python once, then byte-compiles the
// stdlib when asked (what make install does, so that the first runs do
// not write .pyc files in parallel); a module that does not compile is
// only warned about, as make install does.
func checkPython(prefix string, l layout, compile bool, logf func(string, ...any)) error {
	exe := filepath.Join(prefix, "bin", "python"+l.Version)
	cmd := exec.Command(exe, "-I", "-c", pythonCheck)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("debpython: the provisioned %s does not work: %v: %s", exe, err, strings.TrimSpace(string(out)))
	}
	want := prefix + "\n" + l.PatchVersion + "\n"
	if string(out) != want {
		return fmt.Errorf("debpython: the provisioned %s printed %q for sys.prefix and version, want %q", exe, out, want)
	}
	if !compile {
		return nil
	}
	cmd = exec.Command(exe, "-I", "-m", "compileall", "-q", "-j0", filepath.Join(prefix, "lib", "python"+l.Version))
	cmd.Env = cleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		logf("warning: byte-compiling the stdlib of %s: %v: %s", prefix, err, lastLines(string(out), 5))
	}
	return nil
}

// cleanEnv is the environment without the variables that would make a
// python look elsewhere.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PYTHON") || k == "LD_LIBRARY_PATH" || k == "LD_PRELOAD" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
