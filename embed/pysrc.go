package embed

/*
#include "gilkit.h"
*/
import "C"

import _ "embed"

// The Python that gilkit itself runs, kept as Python files in py/ so that
// tools read them as Python and a test compiles each on every interpreter
// (pysrc_test.go).
var (
	// spawnByDefaultSrc makes "spawn" multiprocessing's default start
	// method (Start, unless Config.ForkMultiprocessing).
	//go:embed py/spawn_by_default.py
	spawnByDefaultSrc string
	// pythonThreadsSrc holds Close's helpers: waiting for non-daemon
	// threads, describing what every thread runs.
	//go:embed py/close_helpers.py
	pythonThreadsSrc string
	// captureSrc is module _gilkit_capture, the output routers (run.c).
	//go:embed py/capture.py
	captureSrc string
	// ctypesGuardSrc is run in each new subinterpreter (subinterp.c).
	//go:embed py/ctypes_guard.py
	ctypesGuardSrc string
)

// pythonSources names them, for the test that compiles them.
var pythonSources = map[string]*string{
	"spawn_by_default.py": &spawnByDefaultSrc,
	"close_helpers.py":    &pythonThreadsSrc,
	"capture.py":          &captureSrc,
	"ctypes_guard.py":     &ctypesGuardSrc,
}

// init hands C its sources before anything can start CPython; the C copies
// live for the process.
func init() {
	C.gk_set_python_sources(C.CString(captureSrc), C.CString(ctypesGuardSrc))
}
