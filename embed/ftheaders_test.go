package embed_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// freeThreadedCheck compiles only if the headers are in free-threaded mode:
// PyObject has ob_tid there, and nowhere else.
const freeThreadedCheck = `#include <Python.h>
#include <stddef.h>
#ifndef Py_GIL_DISABLED
#error "Py_GIL_DISABLED is not defined"
#endif
_Static_assert(offsetof(PyObject, ob_tid) == 0, "free-threaded PyObject layout");
`

// TestCompilesWithGILDisabled compiles package embed (compile only: the
// link leaves unresolved what only a free-threaded libpython exports)
// against this GIL build's headers with Py_GIL_DISABLED defined, which is
// what the X.Yt headers of the same release are (they differ in pyconfig.h
// only). It runs on 3.14 and newer, whose free-threaded builds no source
// here could build: gilkit's C must be ready for them. (3.13t is built and
// tested whole.)
func TestCompilesWithGILDisabled(t *testing.T) {
	if embed.FreeThreaded() {
		t.Skip("a free-threaded build: package embed was just compiled against its headers")
	}
	name := embed.BuildName()
	minor, _ := strconv.Atoi(strings.TrimPrefix(name, "3."))
	if minor < 14 {
		t.Skipf("CPython %s: 3.13t is built and tested whole; this check is for 3.14 and newer", name)
	}
	prefix := os.Getenv("GILKIT_PYTHON_PREFIX")
	if prefix == "" {
		t.Skip("GILKIT_PYTHON_PREFIX is not set (run through scripts/with-python.sh)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	// The t headers: this build's, with pyconfig.h saying free-threaded.
	tmp := t.TempDir()
	inc := filepath.Join(tmp, "include", "python"+name+"t")
	require.NoError(t, os.CopyFS(inc, os.DirFS(filepath.Join(prefix, "include", "python"+name))))
	pyconfig := filepath.Join(inc, "pyconfig.h")
	b, err := os.ReadFile(pyconfig)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(pyconfig, 0o644))
	b = append(b, "\n/* gilkit: the free-threaded variant of these headers */\n#define Py_GIL_DISABLED 1\n"...)
	require.NoError(t, os.WriteFile(pyconfig, b, 0o644))
	check := filepath.Join(tmp, "check.c")
	require.NoError(t, os.WriteFile(check, []byte(freeThreadedCheck), 0o644))
	out, err := exec.Command("cc", "-fsyntax-only", "-I"+inc, check).CombinedOutput()
	require.NoError(t, err, "the patched headers are not free-threaded: %s", out)

	pcdir := filepath.Join(tmp, "pkgconfig")
	require.NoError(t, os.MkdirAll(pcdir, 0o755))
	pc := fmt.Sprintf("Name: Python\nDescription: free-threaded headers, compile only\nVersion: %s\nLibs: -L%s/lib -lpython%s\nCflags: -I%s\n", name, prefix, name, inc)
	require.NoError(t, os.WriteFile(filepath.Join(pcdir, "python3-embed.pc"), []byte(pc), 0o644))
	build := exec.Command("go", "build", ".")
	build.Env = append(os.Environ(),
		"CGO_ENABLED=1",
		"PKG_CONFIG_PATH="+pcdir,
		// CGO_CFLAGS is part of the build cache's key; PKG_CONFIG_PATH is not.
		"CGO_CFLAGS=-g -O2 -I"+inc,
		"CGO_LDFLAGS=-Wl,--unresolved-symbols=ignore-all",
	)
	out, err = build.CombinedOutput()
	require.NoError(t, err, "package embed does not compile against CPython %st's headers:\n%s", name, out)
	require.NotContains(t, string(out), "error:", "%s", out)
}
