package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// runProbe measures the GIL probes on the interpreter this binary links:
// latency to run Python and I/O round trips while CPU-bound threads run.
func runProbe(args []string, s streams) int {
	fs := newFlagSet(s, "probe", "probe [flags]", []string{
		"gilctl probe                                   # latency and I/O beside 0, 1, 2, 4 CPU-bound threads, and the sweep",
		"gilctl probe --probe latency --cpu-threads 0,1 --sweep 0.5ms,5ms,50ms --json",
		"PYTHON_GIL=1 bin/gilctl-3.13t probe --quick     # the free-threaded build with the GIL forced on",
		"gilctl compare --workload probes               # every interpreter side by side",
	})
	probes := results.ProbeWorkloads()
	var shorts, about []string
	for _, p := range probes {
		shorts = append(shorts, p.Short())
		about = append(about, fmt.Sprintf("%s (%s)", p.Short(), p.About))
	}
	which := newListFlag(strings.Join(shorts, ","), func(name string) ([]string, error) {
		p, err := results.ParseProbe(name)
		if err != nil {
			return nil, err
		}
		return []string{p.Name}, nil
	})
	fs.Var(which, "probe", "probes to run: "+strings.Join(about, ", "))
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
	spec.Workloads = slices.DeleteFunc(results.NamesOf(probes), func(w string) bool {
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
