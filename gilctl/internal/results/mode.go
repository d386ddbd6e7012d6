package results

import (
	"fmt"
	"slices"
)

// Mode is how a cell's work is spread over its workers, named as --mode,
// results files and reports spell it.
type Mode string

// The built-in modes. modes says what each needs; every other list of
// modes (help, defaults, the report's panels, the summary, the runner's
// dispatch) is taken from there.
const (
	Serial          Mode = "serial"
	Threads         Mode = "threads"
	Goroutines      Mode = "goroutines"
	Processes       Mode = "processes"
	Subinterpreters Mode = "subinterpreters"
)

// modeDef is what gilctl knows of a mode.
type modeDef struct {
	mode Mode
	// driver is the function of pyexamples/gilbench.py that runs the
	// mode's work (see Mode.Driver).
	driver string
	// spreadByGo: gilctl starts the workers and each calls driver for
	// its share; otherwise driver starts them and times itself.
	spreadByGo bool
	// sharesGIL: the workers share one interpreter, so a GIL build runs
	// their Python one at a time.
	sharesGIL bool
	// ownProcesses: the workers are processes of their own, whose CPU
	// time gilctl's process does not count.
	ownProcesses bool
	// since is the oldest CPython that can run the mode (zero: any), and
	// needs says what it needs in words.
	since Version
	needs string
}

// modes are the built-in modes, in report order.
var modes = []modeDef{
	{mode: Serial, driver: "run_serial", sharesGIL: true},
	{mode: Threads, driver: "run_threads", sharesGIL: true},
	{mode: Goroutines, driver: "share", spreadByGo: true, sharesGIL: true},
	{mode: Processes, driver: "run_processes", ownProcesses: true},
	{mode: Subinterpreters, driver: "share", spreadByGo: true, since: Version{3, 12}, needs: "subinterpreters with their own GIL"},
}

// Modes lists the built-in modes in report order.
func Modes() []Mode {
	out := make([]Mode, len(modes))
	for i, d := range modes {
		out[i] = d.mode
	}
	return out
}

// ParseMode returns the built-in mode called name, or an error naming the
// modes there are.
func ParseMode(name string) (Mode, error) {
	m := Mode(name)
	if !m.Known() {
		return "", fmt.Errorf("unknown mode %q (known: %s)", name, Join(Modes(), ", "))
	}
	return m, nil
}

func (m Mode) def() (modeDef, bool) {
	i := slices.IndexFunc(modes, func(d modeDef) bool { return d.mode == m })
	if i < 0 {
		return modeDef{}, false
	}
	return modes[i], true
}

// String is the mode's name.
func (m Mode) String() string { return string(m) }

// Known reports whether m is a built-in mode.
func (m Mode) Known() bool {
	_, ok := m.def()
	return ok
}

// Driver is the function of pyexamples/gilbench.py that runs the mode's
// work: driver(workload, params, workers) -> (wall, [(wall, cpu), ...])
// starts the workers and times them itself, unless SpreadByGo, when each
// worker gilctl starts calls driver(workload, params, index, workers) ->
// (wall, cpu) for its share. "" for a mode that is not built in.
func (m Mode) Driver() string {
	d, _ := m.def()
	return d.driver
}

// SpreadByGo reports whether gilctl starts the mode's workers itself (as
// goroutines, or in subinterpreters) rather than its Python driver.
func (m Mode) SpreadByGo() bool {
	d, _ := m.def()
	return d.spreadByGo
}

// SharesGIL reports whether the mode's workers share one interpreter: on a
// GIL build their Python runs one at a time, so these are the modes whose
// speedup the GIL decides (processes and subinterpreters have a GIL each).
func (m Mode) SharesGIL() bool {
	d, _ := m.def()
	return d.sharesGIL
}

// OwnProcesses reports whether the mode's workers are processes of their
// own, whose CPU time is theirs, not gilctl's process's.
func (m Mode) OwnProcesses() bool {
	d, _ := m.def()
	return d.ownProcesses
}

// Unavailable says why interpreter i cannot run mode m at all, whatever the
// workload, or "" when it can: an unknown mode, or an interpreter too old
// for it. (The runner may still find that it cannot, and say why.)
func (m Mode) Unavailable(i Interpreter) string {
	d, ok := m.def()
	if !ok {
		return fmt.Sprintf("unknown mode %q", string(m))
	}
	if d.since == (Version{}) {
		return ""
	}
	if v, err := ParseVersion(i.Version); err == nil && !v.AtLeast(d.since) {
		return fmt.Sprintf("%s need CPython %d.%d or newer (this is %s)", d.needs, d.since[0], d.since[1], i.Version)
	}
	return ""
}

// rank is m's place in report order; modes that are not built in come
// after, in no particular order.
func (m Mode) rank() int {
	if i := slices.IndexFunc(modes, func(d modeDef) bool { return d.mode == m }); i >= 0 {
		return i
	}
	return len(modes)
}

// Join joins names (modes, probers) with sep.
func Join[S ~string](names []S, sep string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += sep
		}
		out += string(n)
	}
	return out
}
