// Package bench runs the article's experiments in the embedded interpreter:
// workloads from pyexamples/gilbench.py spread over serial code, Python
// threads, goroutines, processes and subinterpreters, repeated, timed and
// summarized.
package bench

import (
	"fmt"
	"slices"
	"strings"
)

// Modes are the ways work is spread, in report order.
var Modes = []string{"serial", "threads", "goroutines", "processes", "subinterpreters"}

// WorkloadGroups expands the names users type into gilbench workloads.
var WorkloadGroups = map[string][]string{
	"countdown": {"countdown"},
	"io":        {"io-sleep", "io-socket", "io-file"},
	"release":   {"release-sha256", "release-zlib", "release-numpy"},
	"asyncio":   {"asyncio"},
}

// AllWorkloads lists every workload, in report order.
var AllWorkloads = []string{"countdown", "io-sleep", "io-socket", "io-file", "release-sha256", "release-zlib", "release-numpy", "asyncio"}

// Spec is what to run. The zero value is not useful; start from DefaultSpec.
type Spec struct {
	Workloads []string // gilbench workload names (groups expanded)
	Modes     []string
	Workers   []int
	Runs      int // counted runs per cell
	Warmup    int // uncounted runs per cell before them
	Params    Params
}

// Params are the workload sizes, passed to gilbench as a dict.
type Params struct {
	Count     int     `json:"count"`   // countdown iterations in total
	IOOps     int     `json:"io_ops"`  // I/O operations in total
	SleepS    float64 `json:"sleep_s"` // one sleep / the echo server's delay
	MiB       int     `json:"mib"`     // MiB hashed or compressed in total
	NumpyN    int     `json:"numpy_n"`
	NumpyReps int     `json:"numpy_reps"`
	Weak      bool    `json:"weak"` // every worker does the full amount
}

// DefaultSpec is the article's setup: 50M countdown split over 1, 2 and 4
// workers, 5 counted runs after one warm-up.
func DefaultSpec() Spec {
	return Spec{
		Workloads: slices.Clone(AllWorkloads),
		Modes:     slices.Clone(Modes),
		Workers:   []int{1, 2, 4},
		Runs:      5,
		Warmup:    1,
		Params: Params{
			Count: 50_000_000, IOOps: 16, SleepS: 0.02, MiB: 256, NumpyN: 256, NumpyReps: 32,
		},
	}
}

// QuickParams shrinks the work so that a whole matrix finishes in minutes
// on 2 cores (make bench QUICK=1).
func QuickParams(p Params) Params {
	p.Count = 5_000_000
	p.IOOps = 8
	p.MiB = 64
	p.NumpyReps = 8
	return p
}

// ParseWorkloads expands a comma-separated list of workloads and groups.
func ParseWorkloads(s string) ([]string, error) {
	var out []string
	for _, name := range splitList(s) {
		switch {
		case WorkloadGroups[name] != nil:
			out = append(out, WorkloadGroups[name]...)
		case slices.Contains(AllWorkloads, name):
			out = append(out, name)
		default:
			return nil, fmt.Errorf("unknown workload %q (known: countdown, io, release, asyncio, or one of %s)", name, strings.Join(AllWorkloads, ", "))
		}
	}
	return dedupe(out), nil
}

// ParseModes checks a comma-separated list of modes.
func ParseModes(s string) ([]string, error) {
	var out []string
	for _, m := range splitList(s) {
		if !slices.Contains(Modes, m) {
			return nil, fmt.Errorf("unknown mode %q (known: %s)", m, strings.Join(Modes, ", "))
		}
		out = append(out, m)
	}
	return dedupe(out), nil
}

// ParseWorkers parses "1,2,4".
func ParseWorkers(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		var n int
		if _, err := fmt.Sscanf(f, "%d", &n); err != nil || n < 1 || fmt.Sprint(n) != f {
			return nil, fmt.Errorf("bad worker count %q: want positive integers like 1,2,4", f)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
