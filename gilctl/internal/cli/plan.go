package cli

import (
	"flag"
	"slices"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/report"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// comparePlan is what compare measures by default: the cells the claims
// judge and those the report's charts draw, in the workloads' report order;
// with --quick only the claims' cells.
func comparePlan(quick bool) []results.Cell {
	if quick {
		return check.ClaimCells()
	}
	return mergePlan(report.ChartCells(), check.ClaimCells())
}

// mergePlan returns the cells of both lists once, ordered by workload (as
// matrix.Workloads, then the probes, then the rest), keeping each list's
// order within a workload.
func mergePlan(a, b []results.Cell) []results.Cell {
	var all []results.Cell
	for _, c := range append(slices.Clone(a), b...) {
		if !slices.Contains(all, c) {
			all = append(all, c)
		}
	}
	order := append(slices.Clone(matrix.Workloads), matrix.Probes...)
	rank := func(c results.Cell) int {
		if i := slices.Index(order, c.Workload); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(all, func(x, y results.Cell) int { return rank(x) - rank(y) })
	return all
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
