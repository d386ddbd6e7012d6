package check

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Comparison is one statistic a claim judges: the ratio of a quantity of
// two measured cells — Num's runs divided by Den's, paired run by run —
// held against a threshold. Every claim that judges a measurement declares
// its comparisons here, so that the driver measures exactly the cells they
// need, for as long as they need (Needs), and Evaluate judges them by the
// same rule.
type Comparison struct {
	// Claim is the id of the claim that makes it.
	Claim    string
	Num, Den results.Key
	Quantity results.Quantity
	Rule     rule
}

// Label names the comparison in progress lines and evidence.
func (c Comparison) Label() string {
	on := c.Num.Interpreter
	if c.Den.Interpreter != on {
		on += " vs " + c.Den.Interpreter
	}
	return fmt.Sprintf("%s on %s (%s / %s, %s)", c.Claim, on, c.Num.Cell, c.Den.Cell, c.Rule)
}

// Claims' statistics. Each returns the comparison claim id makes on
// interpreter n.

// speedupOf is serial time / time in cell c on interpreter n: how many
// times as fast as serial c ran.
func speedupOf(id, n string, c results.Cell, r rule) Comparison {
	serial := results.Cell{Workload: c.Workload, Mode: "serial", Workers: c.Workers}
	return Comparison{Claim: id, Num: results.Key{Interpreter: n, Cell: serial}, Den: results.Key{Interpreter: n, Cell: c},
		Quantity: results.WallTime, Rule: r}
}

// Cells the claims judge.
var (
	cpuThreadsCell   = results.Cell{Workload: "countdown", Mode: "threads", Workers: 2}
	ioThreadsCell    = results.Cell{Workload: "io-sleep", Mode: "threads", Workers: 2}
	processesCell    = results.Cell{Workload: "countdown", Mode: "processes", Workers: 2}
	asyncioCell      = results.Cell{Workload: "asyncio", Mode: "serial", Workers: 1}
	sleepSerialCell  = results.Cell{Workload: "io-sleep", Mode: "serial", Workers: 1}
	singleThreadCell = results.Cell{Workload: "countdown", Mode: "serial", Workers: 1}
	ioIdleCell       = results.Cell{Workload: results.ProbeIO, Mode: results.ProbeThread, Workers: 0, SwitchIntervalS: results.DefaultSwitchIntervalS}
	ioLoadedCell     = results.Cell{Workload: results.ProbeIO, Mode: results.ProbeThread, Workers: 1, SwitchIntervalS: results.DefaultSwitchIntervalS}
)

// releaseCell is the cell release-gil-parallel judges for a library.
func releaseCell(workload string) results.Cell {
	return results.Cell{Workload: workload, Mode: "threads", Workers: 2}
}

// Rules of the claims.
var (
	noSpeedupRule = rule{atMost: true, limit: NoSpeedupMax}
	parallelRule  = rule{limit: ParallelMin}
	slowdownRule  = rule{limit: 1 + SlowdownMinPct/100}
	ioUnderRule   = rule{limit: IOUnderLoadMin}
)

// asyncioOf is io-sleep serial x1 / asyncio serial x1: how many of ops
// sleeps overlapped, judged against half of them.
func asyncioOf(n string, ops int) Comparison {
	return Comparison{Claim: "asyncio-overlap", Num: results.Key{Interpreter: n, Cell: sleepSerialCell},
		Den: results.Key{Interpreter: n, Cell: asyncioCell}, Quantity: results.WallTime, Rule: rule{limit: float64(ops) / 2}}
}

// ioUnderLoadOf is the I/O probe's round trips beside one CPU-bound thread
// as a share of its idle rate.
func ioUnderLoadOf(n string) Comparison {
	return Comparison{Claim: "io-threads-under-cpu-load", Num: results.Key{Interpreter: n, Cell: ioLoadedCell},
		Den: results.Key{Interpreter: n, Cell: ioIdleCell}, Quantity: results.RoundTrips, Rule: ioUnderRule}
}

// singleThreadOf is countdown serial x1 on free-threaded n / on its GIL
// baseline.
func singleThreadOf(n, base string) Comparison {
	return Comparison{Claim: "nogil-single-thread-cost", Num: results.Key{Interpreter: n, Cell: singleThreadCell},
		Den: results.Key{Interpreter: base, Cell: singleThreadCell}, Quantity: results.WallTime, Rule: slowdownRule}
}

// comparisons lists every comparison the claims make on interpreter n
// whose two cells have(): the claims' declaration of what they need.
func comparisons(n string, info map[string]results.Interpreter, candidates []results.Interpreter, ops int,
	have func(results.Key) bool) []Comparison {
	all := []Comparison{
		speedupOf("cpu-threads-no-speedup", n, cpuThreadsCell, noSpeedupRule),
		speedupOf("io-threads-overlap", n, ioThreadsCell, parallelRule),
		speedupOf("multiprocessing-parallel", n, processesCell, parallelRule),
	}
	for _, lib := range releaseLibraries {
		all = append(all, speedupOf("release-gil-parallel", n, releaseCell(lib.workload), parallelRule))
	}
	all = append(all, asyncioOf(n, ops), ioUnderLoadOf(n))
	if i, ok := info[n]; ok && i.FreeThreaded && !i.GILEnabled {
		if base, _, ok := gilBaseline(i, candidates); ok {
			all = append(all, singleThreadOf(n, base.Name))
		}
	}
	var out []Comparison
	for _, c := range all {
		if have(c.Num) && have(c.Den) {
			out = append(out, c)
		}
	}
	return out
}

// ClaimCells are the cells the claims judge, in run order: what a run
// that is only after verdicts (make bench QUICK=1, check) measures. The
// GIL-holding Go loop is measured beside go-release as its control.
func ClaimCells() []results.Cell {
	var out []results.Cell
	add := func(cs ...results.Cell) {
		for _, c := range cs {
			found := false
			for _, o := range out {
				found = found || o == c
			}
			if !found {
				out = append(out, c)
			}
		}
	}
	serial := func(c results.Cell) results.Cell { c.Mode = "serial"; return c }
	add(singleThreadCell, serial(cpuThreadsCell), cpuThreadsCell, processesCell)
	add(sleepSerialCell, asyncioCell, serial(ioThreadsCell), ioThreadsCell)
	for _, lib := range releaseLibraries {
		add(serial(releaseCell(lib.workload)), releaseCell(lib.workload))
	}
	add(serial(releaseCell(releaseControl)), releaseCell(releaseControl))
	add(ioIdleCell, ioLoadedCell)
	return out
}
