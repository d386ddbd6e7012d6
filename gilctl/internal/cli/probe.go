package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// probeNames are what --probe takes, and the workloads they stand for.
var probeNames = map[string]string{"latency": results.ProbeLatency, "io": results.ProbeIO}

// runProbe measures the GIL probes on the interpreter this binary links:
// latency to run Python and I/O round trips while CPU-bound threads run.
func runProbe(args []string, s streams) int {
	fs := newFlagSet(s, "probe", "probe [flags]", []string{
		"gilctl probe                                   # latency and I/O beside 0, 1, 2, 4 CPU-bound threads, and the sweep",
		"gilctl probe --probe latency --cpu-threads 0,1 --sweep 0.5ms,5ms,50ms --json",
		"PYTHON_GIL=1 bin/gilctl-3.13t probe --quick     # the free-threaded build with the GIL forced on",
		"gilctl compare --workload probes               # every interpreter side by side",
	})
	which := newListFlag("latency,io", func(name string) ([]string, error) {
		if w, ok := probeNames[name]; ok {
			return []string{w}, nil
		}
		return nil, fmt.Errorf("unknown probe %q (known: latency, io)", name)
	})
	fs.Var(which, "probe", "probes to run: latency (a goroutine and a Python thread), io (round trips of a Python thread)")
	rf := addRunFlags(fs.FlagSet)
	pf := addProbeFlags(fs.FlagSet, "")
	save := addSaveFlag(fs.FlagSet)
	format := addFormatFlags(fs.FlagSet, resultFormats)
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	name, err := format.chosen(fs.FlagSet)
	if err != nil {
		return fail(s, "probe", exitUsage, err)
	}
	spec, err := rf.spec()
	if err != nil {
		return fail(s, "probe", exitUsage, err)
	}
	// In report order, whatever the order of --probe.
	spec.Workloads = slices.DeleteFunc(slices.Clone([]string{results.ProbeLatency, results.ProbeIO}), func(w string) bool {
		return !slices.Contains(which.items, w)
	})
	if err := pf.apply(&spec); err != nil {
		return fail(s, "probe", exitUsage, err)
	}
	if s.dryRun {
		return exitOK
	}
	if n := len(spec.Cells()); n > 0 {
		fmt.Fprintf(s.err, "%s probe: %d cells (%s) × %d runs of %s each\n", s.prog, n, strings.Join(spec.Workloads, ", "),
			spec.Warmup+spec.Runs, results.Seconds(spec.Params.ProbeDurationS))
	}
	return runInProcess("probe", spec, rf, name, *save, s)
}
