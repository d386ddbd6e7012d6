package embed

// The interpreter is chosen at build time through pkg-config's
// python3-embed: set PKG_CONFIG_PATH to PREFIX/lib/pkgconfig. The Go build
// cache does not notice PKG_CONFIG_PATH, so builds for several interpreters
// must differ in CGO_CFLAGS or use separate caches (the Makefile does both).

/*
#cgo pkg-config: python3-embed
#cgo CFLAGS: -O2 -Wall -Wno-unused-function
#cgo LDFLAGS: -ldl -lutil
#include "gilkit.h"
*/
import "C"

import "strconv"

// pyMajor and pyMinor describe the CPython this package was
// compiled against.
const (
	pyMajor = int(C.PY_MAJOR_VERSION)
	pyMinor = int(C.PY_MINOR_VERSION)
)

// FreeThreaded reports whether the linked CPython is a free-threaded build
// (compiled with Py_GIL_DISABLED). Whether the GIL is actually off at run
// time is [Info.GILEnabled].
func FreeThreaded() bool { return C.gk_free_threaded() != 0 }

// BuildName is the short name of the linked CPython: "3.12", or "3.13t" for a
// free-threaded build.
func BuildName() string {
	name := strconv.Itoa(pyMajor) + "." + strconv.Itoa(pyMinor)
	if FreeThreaded() {
		name += "t"
	}
	return name
}
