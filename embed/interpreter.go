package embed

/*
#include <stdlib.h>
#include "gilkit_main.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unsafe"
)

// GILMode chooses whether a free-threaded build runs with the GIL.
type GILMode int

const (
	// GILDefault follows the PYTHON_GIL environment variable of the Go
	// process ("1": on, "0": off), and CPython's default (off on a
	// free-threaded build) when it is unset.
	GILDefault GILMode = iota
	// GILOn forces the GIL on (like PYTHON_GIL=1).
	GILOn
	// GILOff forces the GIL off (like PYTHON_GIL=0); extensions that do
	// not declare free-threading support may still turn it back on.
	GILOff
)

// Config configures [Start]. The zero value is a sensible default.
type Config struct {
	// Argv becomes sys.argv (default: [""]).
	Argv []string
	// Path entries are put at the front of sys.path, in order, so that
	// they win over installed packages (as a script's own folder does).
	Path []string
	// ReadEnvironment lets CPython read PYTHONPATH, PYTHONHOME and the other
	// PYTHON* variables. Off by default so that results do not depend on the
	// caller's shell. (PYTHON_GIL is honoured through GIL either way.)
	ReadEnvironment bool
	// GIL chooses the GIL state on free-threaded builds; it is ignored on
	// builds that always have a GIL.
	GIL GILMode
	// Executable becomes sys.executable. Default: the python binary that
	// belongs to the linked libpython (so multiprocessing and subprocess
	// start a real Python, not the Go program).
	Executable string
	// ForkMultiprocessing leaves multiprocessing's default start method
	// alone ("fork" on Linux before 3.14). By default gilkit makes it
	// "spawn": forking a running Go program is not safe.
	ForkMultiprocessing bool
}

// Interpreter is the process's CPython. Create it with [Start]; its methods
// are safe for concurrent use.
type Interpreter struct {
	mainInterp *interpState // the main interpreter's state (a Subinterpreter has its own)

	// lifecycle is where it stands between Start and finalization, and
	// the work it waits for (lifecycle.go).
	lifecycle

	// guardDo: each Do holds a finalization guard (guard.go); set for
	// Command.Run on CPython 3.15+.
	guardDo bool

	subsMu sync.Mutex
	subs   map[*Subinterpreter]struct{}

	// pymain is set for Command.Run's interpreter, which Py_RunMain
	// finalizes, not Close.
	pymain *pymainSetup
}

// Start initializes CPython with cfg on a dedicated, locked OS thread and
// releases the GIL. Only one interpreter exists per process: a second Start
// returns ErrAlreadyStarted, a Start after Close returns ErrFinalized.
func Start(cfg Config) (*Interpreter, error) { return start(cfg, nil) }

// start is Start, and with pm Command.Run's start of CPython for
// Py_RunMain's program (pymain.go).
func start(cfg Config, pm *pymainSetup) (*Interpreter, error) {
	startMu.Lock()
	defer startMu.Unlock()
	if finalized != nil {
		return nil, finalized
	}
	if running != nil {
		return nil, ErrAlreadyStarted
	}
	in := &Interpreter{
		mainInterp: &interpState{name: "main"},
		subs:       map[*Subinterpreter]struct{}{},
		guardDo:    pm != nil && hasPEP788,
		pymain:     pm,
	}
	in.mainInterp.interp = in
	in.lifecycle.init()
	started := make(chan error)
	if err := launchMainThread(func() { in.runMainThread(cfg, started) }); err != nil {
		finalized = fmt.Errorf("%w: %v", ErrFinalized, err)
		return nil, err
	}
	if err := <-started; err != nil {
		finalized = fmt.Errorf("%w: %v", ErrFinalized, err)
		return nil, err
	}
	in.markRunning()
	if !cfg.ForkMultiprocessing {
		if err := in.Do(func(py *Py) error { return py.Exec(spawnByDefaultSrc, Filename("<gilkit-spawn>")) }); err != nil {
			// CPython runs; Default returns it and Close finalizes it.
			return nil, fmt.Errorf("embed: preparing multiprocessing: %w", err)
		}
	}
	return in, nil
}

// Default returns the process's running interpreter, starting it with the
// zero Config the first time. Libraries that need Python without owning the
// program's setup use it; a program that wants its own Config calls Start
// first, and Default then returns that interpreter.
func Default() (*Interpreter, error) {
	startMu.Lock()
	in := running
	startMu.Unlock()
	if in != nil {
		return in, nil
	}
	in, err := Start(Config{})
	if errors.Is(err, ErrAlreadyStarted) {
		return Default() // lost a race with another Start
	}
	return in, err
}

// runMainThread runs on the thread that initializes CPython (see launchMainThread), which
// becomes Python's main thread: it serves DoMain closures and, at Close,
// finalizes CPython, which expects to be finalized on the same thread.
func (in *Interpreter) runMainThread(cfg Config, started chan<- error) {
	defer close(in.mainThreadDone)
	opts, free := startOptions(cfg)
	defer free()
	C.gk_mark_main_thread()
	var msg *C.char
	if in.pymain != nil {
		msg = C.gk_pymain_start(opts, C.int(in.pymain.notifyFD))
	} else {
		msg = C.gk_start(opts)
	}
	if msg != nil {
		defer C.free(unsafe.Pointer(msg))
		started <- fmt.Errorf("embed: %s", C.GoString(msg))
		return
	}
	started <- nil
	var reply chan error
	for reply == nil {
		select {
		case f := <-in.mainCalls:
			f()
			if in.mainInterp.dead.Load() {
				return // CPython finalized itself: Py_RunMain (Command.Run)
			}
		case reply = <-in.finalize:
		}
	}
	in.mainInterp.dead.Store(true)
	if rc := C.gk_finalize(); rc != 0 {
		reply <- fmt.Errorf("embed: Py_FinalizeEx returned %d (flushing buffered data failed)", int(rc))
		return
	}
	reply <- nil
}

// startOptions converts cfg to C; free releases the C memory.
func startOptions(cfg Config) (*C.gk_start_opts, func()) {
	var allocs []unsafe.Pointer
	cstr := func(s string) *C.char {
		p := C.CString(s)
		allocs = append(allocs, unsafe.Pointer(p))
		return p
	}
	carray := func(ss []string) **C.char {
		if len(ss) == 0 {
			return nil
		}
		arr := (**C.char)(C.malloc(C.size_t(len(ss)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		allocs = append(allocs, unsafe.Pointer(arr))
		for i, s := range ss {
			*(**C.char)(unsafe.Add(unsafe.Pointer(arr), i*int(unsafe.Sizeof((*C.char)(nil))))) = cstr(s)
		}
		return arr
	}
	opts := (*C.gk_start_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.gk_start_opts{}))))
	allocs = append(allocs, unsafe.Pointer(opts))
	argv := cfg.Argv
	if len(argv) == 0 {
		argv = []string{""}
	}
	opts.argv, opts.argc = carray(argv), C.int(len(argv))
	opts.paths, opts.npaths = carray(cfg.Path), C.int(len(cfg.Path))
	if cfg.ReadEnvironment {
		opts.use_environment = 1
	}
	opts.enable_gil = C.int(gilSetting(cfg.GIL, os.Getenv("PYTHON_GIL")))
	exe := cfg.Executable
	if exe == "" {
		exe = defaultExecutable(C.GoString(C.gk_libpython()))
	}
	if exe != "" {
		opts.executable = cstr(exe)
	}
	return opts, func() {
		for _, p := range allocs {
			C.free(p)
		}
	}
}

// gilSetting maps a GILMode and the PYTHON_GIL variable to PyConfig.enable_gil.
func gilSetting(mode GILMode, env string) int {
	switch mode {
	case GILOn:
		return 1
	case GILOff:
		return 0
	}
	switch env {
	case "1":
		return 1
	case "0":
		return 0
	}
	return -1
}

// defaultExecutable finds the python binary that belongs to libpython:
// PREFIX/lib/libpython3.X.so -> PREFIX/bin/python3.X (with a "t" for
// free-threaded builds), looking up to three levels above the library for
// Debian-style multiarch layouts.
func defaultExecutable(libpython string) string {
	if libpython == "" {
		return ""
	}
	name := "python" + BuildName()
	dir := filepath.Dir(libpython)
	for range 3 {
		dir = filepath.Dir(dir)
		candidate := filepath.Join(dir, "bin", name)
		if st, err := os.Stat(candidate); err == nil && !st.IsDir() {
			return candidate
		}
	}
	return ""
}

// Info describes the running interpreter.
type Info struct {
	// Name is gilkit's short name: "3.12", "3.13t", or "3.13t+gil" for a
	// free-threaded build running with the GIL on.
	Name string `json:"name"`
	// Version is the release, e.g. "3.12.1".
	Version string `json:"version"`
	// FullVersion is sys.version.
	FullVersion string `json:"full_version"`
	// FreeThreaded is true for builds compiled with Py_GIL_DISABLED.
	FreeThreaded bool `json:"free_threaded"`
	// GILEnabled is the GIL state at run time (sys._is_gil_enabled() where
	// it exists, otherwise true).
	GILEnabled bool `json:"gil_enabled"`
	// SwitchInterval is sys.getswitchinterval(), in seconds.
	SwitchInterval float64 `json:"switch_interval"`
	// Executable is sys.executable.
	Executable string `json:"executable"`
	// Prefix is sys.prefix.
	Prefix string `json:"prefix"`
	// LibPython is the path of the loaded shared library.
	LibPython string `json:"libpython"`
}

// Info reports facts about the running interpreter.
func (in *Interpreter) Info() (Info, error) {
	var info Info
	err := in.Do(func(py *Py) error {
		var err error
		info, err = py.Info()
		return err
	})
	return info, err
}

// Info reports facts about the interpreter this token is attached to.
func (py *Py) Info() (Info, error) {
	py.check()
	var ci C.gk_info
	if C.gk_get_info(&ci) != 0 {
		C.gk_info_free(&ci)
		return Info{}, fmt.Errorf("embed: reading interpreter info: %w", fetchError())
	}
	defer C.gk_info_free(&ci)
	info := Info{
		Version:        goString(ci.version),
		FullVersion:    goString(ci.full_version),
		FreeThreaded:   FreeThreaded(),
		GILEnabled:     ci.gil_enabled != 0,
		SwitchInterval: float64(ci.switch_interval),
		Executable:     goString(ci.executable),
		Prefix:         goString(ci.prefix),
		LibPython:      C.GoString(C.gk_libpython()),
	}
	info.Name = BuildName()
	if info.FreeThreaded && info.GILEnabled {
		info.Name += "+gil"
	}
	return info, nil
}

// SwitchInterval returns sys.getswitchinterval(): how long a thread may hold
// the GIL before it is asked to drop it.
func (in *Interpreter) SwitchInterval() (time.Duration, error) {
	info, err := in.Info()
	if err != nil {
		return 0, err
	}
	return secondsToDuration(info.SwitchInterval), nil
}

// SetSwitchInterval calls sys.setswitchinterval(d).
func (in *Interpreter) SetSwitchInterval(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("embed: switch interval must be positive, got %v", d)
	}
	return in.Do(func(py *Py) error {
		py.check()
		if C.gk_set_switch_interval(C.double(d.Seconds())) != 0 {
			return fmt.Errorf("embed: setting switch interval to %v: %w", d, fetchError())
		}
		return nil
	})
}

func secondsToDuration(s float64) time.Duration {
	return time.Duration(math.Round(s * float64(time.Second)))
}
