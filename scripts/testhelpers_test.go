package scripts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// result is what a script run left behind.
type result struct {
	stdout, stderr string
	code           int
}

var (
	offlineOnce sync.Once
	offline     bool
)

// canCutNetwork reports whether `unshare -n` works here (root, or a user
// namespace): scripts then run with no network at all, which proves that
// nothing they do needs it.
func canCutNetwork() bool {
	offlineOnce.Do(func() { offline = exec.Command("unshare", "-n", "true").Run() == nil })
	return offline
}

// script runs scripts/NAME with env added to a clean environment (no
// GILKIT_* or PYTHONS from the caller), cut off from the network when
// possible.
func script(t *testing.T, env []string, name string, args ...string) result {
	t.Helper()
	return run(t, env, append([]string{"./" + name}, args...))
}

// lib calls function fn of lib-source.sh with args.
func lib(t *testing.T, env []string, fn string, args ...string) result {
	t.Helper()
	return run(t, env, append([]string{"bash", "-c", `. ./lib-source.sh && "$@"`, "lib", fn}, args...))
}

func run(t *testing.T, env []string, argv []string) result {
	t.Helper()
	if canCutNetwork() {
		argv = append([]string{"unshare", "-n"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GILKIT_") && !strings.HasPrefix(kv, "PYTHONS=") && !strings.HasPrefix(kv, "PKG_CONFIG_PATH=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err, "running %v", argv)
	}
	return result{stdout.String(), stderr.String(), code}
}

// fakeTarball writes dir/file, a tar.xz holding TOP/Include/patchlevel.h
// that says PY_VERSION inside, like an upstream CPython tarball. It also
// "builds": its configure and make install lay out what an installed
// CPython X.Y or X.Yt (--disable-gil) has for with-python.sh to accept, so
// that build-cpython.sh runs for real in a fraction of a second.
func fakeTarball(t *testing.T, dir, file, inside string) string {
	t.Helper()
	src := t.TempDir()
	top := "Python-" + inside
	require.NoError(t, os.MkdirAll(filepath.Join(src, top, "Include"), 0o755))
	patchlevel := fmt.Sprintf("#define PY_MAJOR_VERSION 3\n#define PY_VERSION \"%s\"\n", inside)
	require.NoError(t, os.WriteFile(filepath.Join(src, top, "Include", "patchlevel.h"), []byte(patchlevel), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, top, "README.rst"), bytes.Repeat([]byte("CPython source\n"), 2000), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, top, "configure"), []byte(fakeConfigure), 0o755))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	out := filepath.Join(dir, file)
	b, err := exec.Command("tar", "-cJf", out, "-C", src, top).CombinedOutput()
	require.NoError(t, err, string(b))
	return out
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// prefixSpec describes a fake installed CPython: enough files for the
// checks of with-python.sh (nothing can be linked against it).
type prefixSpec struct {
	pcName     string // "python-3.13-embed" (the .pc file name without .pc); "" for none
	pcVersion  string // its Version:
	lib        string // its -l flag without -l, e.g. "python3.13"
	libFile    string // lib/libXXX.so to create; "" for none
	python3pc  bool   // python3-embed.pc -> pcName.pc
	patchlevel string // include/python<abi>/patchlevel.h PY_VERSION, with abi
	abi        string
}

func fakePrefix(t *testing.T, prefix string, s prefixSpec) string {
	t.Helper()
	lib := filepath.Join(prefix, "lib")
	require.NoError(t, os.MkdirAll(filepath.Join(lib, "pkgconfig"), 0o755))
	if s.libFile != "" {
		require.NoError(t, os.WriteFile(filepath.Join(lib, s.libFile), nil, 0o644))
	}
	if s.pcName != "" {
		pc := fmt.Sprintf("prefix=%s\nlibdir=${prefix}/lib\nincludedir=${prefix}/include\n\nName: Python\nDescription: Embed Python\nVersion: %s\nLibs: -L${libdir} -l%s\nCflags: -I${includedir}/%s\n",
			prefix, s.pcVersion, s.lib, s.lib)
		require.NoError(t, os.WriteFile(filepath.Join(lib, "pkgconfig", s.pcName+".pc"), []byte(pc), 0o644))
		if s.python3pc {
			require.NoError(t, os.Symlink(s.pcName+".pc", filepath.Join(lib, "pkgconfig", "python3-embed.pc")))
		}
	}
	if s.patchlevel != "" {
		inc := filepath.Join(prefix, "include", "python"+s.abi)
		require.NoError(t, os.MkdirAll(inc, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(inc, "patchlevel.h"), []byte(fmt.Sprintf("#define PY_VERSION \"%s\"\n", s.patchlevel)), 0o644))
	}
	return prefix
}

// goodPrefix is a fake CPython ABI ("3.99" or "3.99t") that passes every
// check of with-python.sh.
func goodPrefix(t *testing.T, prefix, abi, version string) string {
	return fakePrefix(t, prefix, prefixSpec{
		pcName: "python-" + abi + "-embed", pcVersion: strings.TrimSuffix(abi, "t"), lib: "python" + abi,
		libFile: "libpython" + abi + ".so", python3pc: true, patchlevel: version, abi: abi,
	})
}

// fakeConfigure writes a Makefile whose install target lays out a fake
// installed CPython under $(DESTDIR)PREFIX.
const fakeConfigure = `#!/bin/sh
set -e
for a in "$@"; do
	case "$a" in
	--prefix=*) prefix=${a#--prefix=} ;;
	--disable-gil) t=t ;;
	esac
done
ver=$(sed -n 's/.*PY_VERSION "\(.*\)".*/\1/p' Include/patchlevel.h)
xy=$(echo "$ver" | cut -d. -f1,2)
abi=$xy$t
{
	echo '#!/bin/sh'
	echo 'set -e'
	echo "p=\"\$1$prefix\""
	echo "mkdir -p \"\$p/lib/pkgconfig\" \"\$p/include/python$abi\""
	echo ": >\"\$p/lib/libpython$abi.so\""
	echo "cp Include/patchlevel.h \"\$p/include/python$abi/\""
	echo "echo '$*' >\"\$p/configure-args\""
	echo "printf 'prefix=$prefix\\nName: Python\\nDescription: fake\\nVersion: $xy\\nLibs: -L$prefix/lib -lpython$abi\\nCflags: -I$prefix/include/python$abi\\n' >\"\$p/lib/pkgconfig/python-$abi-embed.pc\""
	echo "ln -s python-$abi-embed.pc \"\$p/lib/pkgconfig/python3-embed.pc\""
} >install.sh
chmod +x install.sh
printf 'all:\n\t@echo built\ninstall:\n\t./install.sh "$(DESTDIR)"\n' >Makefile
`
