package results

import (
	"cmp"
	"slices"
)

// CompareCells orders cells as reports list them: by workload in report
// order (users' scripts after the built-in ones, by name), timed work by
// workers, then mode (so that a serial baseline comes before the modes
// divided by it); a probe's cells at the default switch interval first,
// then by switch interval, CPU-bound threads and prober.
func CompareCells(a, b Cell) int {
	if c := cmp.Or(cmp.Compare(workloadRank(a.Workload), workloadRank(b.Workload)), cmp.Compare(a.Workload, b.Workload)); c != 0 {
		return c
	}
	off := func(c Cell) bool { return c.SwitchIntervalS != DefaultSwitchIntervalS }
	return cmp.Or(
		cmp.Compare(a.Workers, b.Workers),
		cmp.Compare(a.Mode.rank(), b.Mode.rank()),
		cmp.Compare(a.Mode, b.Mode),
		compareBool(off(a) && a.IsProbe(), off(b) && b.IsProbe()),
		cmp.Compare(a.SwitchIntervalS, b.SwitchIntervalS),
		cmp.Compare(a.CPUThreads, b.CPUThreads),
		cmp.Compare(a.Prober.rank(), b.Prober.rank()),
		cmp.Compare(a.Prober, b.Prober),
	)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// Plan returns the cells of every list once, in the order CompareCells
// gives.
func Plan(lists ...[]Cell) []Cell {
	var out []Cell
	for _, l := range lists {
		for _, c := range l {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.SortStableFunc(out, CompareCells)
	return out
}
