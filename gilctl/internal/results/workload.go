package results

import (
	"fmt"
	"slices"
	"strings"
)

// The built-in workloads: the shares of pyexamples/gilbench.py (its
// WORKLOADS) and the GIL probes (gilprobe.py). groups says which group
// each belongs to and in which order reports list them.
const (
	Countdown     = "countdown"
	IOSleep       = "io-sleep"
	IOSocket      = "io-socket"
	IOFile        = "io-file"
	ReleaseSHA256 = "release-sha256"
	ReleaseZlib   = "release-zlib"
	ReleaseNumpy  = "release-numpy"
	GoRelease     = "go-release"
	GoHeld        = "go-held"
	Gopy          = "gopy"
	Asyncio       = "asyncio"

	// ProbeLatency cells collect latencies: from asking to run Python to
	// running it. Prober ProbeGoroutine times a goroutine attaching
	// through embed (measured in Go); ProbeThread times a Python thread
	// waking from a short time.sleep (its oversleep).
	ProbeLatency = "probe-latency"
	// ProbeIO cells count loopback round trips of a Python thread
	// (ProbeThread) per second.
	ProbeIO = "probe-io"
)

// ProbesGroup is the group of the GIL probes.
const ProbesGroup = "probes"

// Workload is a built-in workload.
type Workload struct {
	Name string
	// Group is the name --workload selects it by with its kin.
	Group string
	// Modes are the only modes it runs in; nil: every mode.
	Modes []Mode
	// MainInterpreterOnly: it calls the module gilkit, which only gilctl's
	// embedded interpreter has, so whether a worker process or a
	// subinterpreter can run it is asked there.
	MainInterpreterOnly bool
	// Probers are, for a GIL probe, who can probe (its cells' Prober);
	// nil for timed work.
	Probers []Prober
	// Sweeps: the probe also runs at the switch intervals of a sweep.
	Sweeps bool
	// About says what a probe measures, for help.
	About string
}

// IsProbe reports whether w is a GIL probe rather than timed work.
func (w Workload) IsProbe() bool { return w.Probers != nil }

// Short is a probe's name for --probe: "latency", "io".
func (w Workload) Short() string { return strings.TrimPrefix(w.Name, "probe-") }

// RunsIn reports whether the workload runs in mode m.
func (w Workload) RunsIn(m Mode) bool { return w.Modes == nil || slices.Contains(w.Modes, m) }

// group is a name --workload takes for several workloads.
type group struct {
	name      string
	workloads []Workload
}

// groups are the built-in workloads by group, in report order.
var groups = []group{
	{Countdown, []Workload{{Name: Countdown}}},
	{"io", []Workload{{Name: IOSleep}, {Name: IOSocket}, {Name: IOFile}}},
	{"release", []Workload{{Name: ReleaseSHA256}, {Name: ReleaseZlib}, {Name: ReleaseNumpy}}},
	{"go", []Workload{{Name: GoRelease, MainInterpreterOnly: true}, {Name: GoHeld, MainInterpreterOnly: true}}},
	// gopy's extension runs in a plain python process gilctl starts,
	// with Python threads.
	{Gopy, []Workload{{Name: Gopy, Modes: []Mode{Serial, Threads}}}},
	{Asyncio, []Workload{{Name: Asyncio}}},
	{ProbesGroup, []Workload{
		{Name: ProbeLatency, Probers: probers, Sweeps: true, About: "a goroutine and a Python thread"},
		{Name: ProbeIO, Probers: []Prober{ProbeThread}, About: "round trips of a Python thread"},
	}},
}

// GroupNames are the names --workload takes for groups, in report order.
func GroupNames() []string {
	var out []string
	for _, g := range groups {
		out = append(out, g.name)
	}
	return out
}

// GroupNamed returns the names of the workloads of group name.
func GroupNamed(name string) ([]string, bool) {
	for _, g := range groups {
		if g.name == name {
			return names(g.workloads), true
		}
	}
	return nil, false
}

// catalog is every built-in workload, probes last, in report order, and
// each one's place in it.
var catalog, ranks = func() ([]Workload, map[string]int) {
	var ws []Workload
	rank := map[string]int{}
	for _, g := range groups {
		for _, w := range g.workloads {
			w.Group = g.name
			rank[w.Name] = len(ws)
			ws = append(ws, w)
		}
	}
	return ws, rank
}()

func all() []Workload { return slices.Clone(catalog) }

// TimedWorkloads are the built-in workloads of timed work (probes aside),
// in report order.
func TimedWorkloads() []Workload {
	return slices.DeleteFunc(all(), Workload.IsProbe)
}

// ProbeWorkloads are the GIL probes, in report order.
func ProbeWorkloads() []Workload {
	return slices.DeleteFunc(all(), func(w Workload) bool { return !w.IsProbe() })
}

// WorkloadNames are the names of every built-in workload, probes last, in
// report order.
func WorkloadNames() []string { return names(all()) }

// NamesOf lists the workloads' names.
func NamesOf(ws []Workload) []string { return names(ws) }

func names(ws []Workload) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Name
	}
	return out
}

// LookupWorkload returns the built-in workload called name.
func LookupWorkload(name string) (Workload, bool) {
	i, ok := ranks[name]
	if !ok {
		return Workload{}, false
	}
	return catalog[i], true
}

// ParseProbe returns the probe --probe calls short ("latency", "io").
func ParseProbe(short string) (Workload, error) {
	var known []string
	for _, p := range ProbeWorkloads() {
		if p.Short() == short {
			return p, nil
		}
		known = append(known, p.Short())
	}
	return Workload{}, fmt.Errorf("unknown probe %q (known: %s)", short, strings.Join(known, ", "))
}

// workloadRank is a workload's place in report order; users' scripts come
// after the built-in ones.
func workloadRank(name string) int {
	if i, ok := ranks[name]; ok {
		return i
	}
	return len(catalog)
}
