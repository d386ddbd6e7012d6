package cli

import (
	"flag"
	"slices"
	"strconv"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/report"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// comparePlan is what compare measures by default: the cells the claims
// judge and those the report's charts draw (report.Plan); with --quick only
// the claims' cells.
func comparePlan(quick bool) []results.Cell {
	if quick {
		return check.ClaimCells()
	}
	return report.Plan()
}

// matrixFlagNames are the flags that choose cells: when a user sets none,
// a command runs its plan instead of the cross product of their defaults.
var matrixFlagNames = []string{"workload", "mode", "workers", "cpu-threads", "sweep", "script"}

// usePlan sets spec.Plan to plan unless the command line chose cells.
func usePlan(fs *flag.FlagSet, spec *matrix.Spec, plan []results.Cell) {
	chosen := false
	fs.Visit(func(f *flag.Flag) { chosen = chosen || slices.Contains(matrixFlagNames, f.Name) })
	if !chosen {
		spec.Plan = plan
	}
}

// defaultsOf are the flag defaults whose cross product holds the cells of
// plan: its workloads, modes, worker counts and probes' CPU-bound threads,
// each once, in plan's order (modes and counts sorted).
func defaultsOf(plan []results.Cell) specDefaults {
	var workloads, modes, workers, cpuThreads []string
	add := func(list *[]string, s string) {
		if !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, c := range plan {
		add(&workloads, c.Workload)
		if c.IsProbe() {
			add(&cpuThreads, strconv.Itoa(c.CPUThreads))
			continue
		}
		add(&modes, string(c.Mode))
		add(&workers, strconv.Itoa(c.Workers))
	}
	slices.SortFunc(modes, func(a, b string) int {
		return slices.Index(results.Modes(), results.Mode(a)) - slices.Index(results.Modes(), results.Mode(b))
	})
	byNumber := func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x - y }
	slices.SortFunc(workers, byNumber)
	slices.SortFunc(cpuThreads, byNumber)
	return specDefaults{workloads: strings.Join(workloads, ","), modes: strings.Join(modes, ","),
		workers: strings.Join(workers, ","), cpuThreads: strings.Join(cpuThreads, ",")}
}
