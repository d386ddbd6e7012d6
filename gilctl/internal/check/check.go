// Package check turns bench results into verdicts on the article's claims,
// one per interpreter, each with the measured evidence and the threshold it
// was held against.
package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
)

// Verdicts.
const (
	Holds       = "holds"
	DoesNotHold = "does not hold"
	NA          = "n/a"
)

// Thresholds, stated in the output beside every verdict.
const (
	NoSpeedupMax   = 1.15 // "no speedup": at most this much faster
	ParallelMin    = 1.5  // "runs in parallel": at least this much faster with 2 workers
	SlowdownMinPct = 5.0  // "slows single-threaded code": by more than this
)

// Verdict is one claim on one interpreter.
type Verdict struct {
	Verdict  string `json:"verdict"`
	Evidence string `json:"evidence"`
}

// Claim is one of the article's claims with a verdict per interpreter and
// an overall one.
type Claim struct {
	ID       string             `json:"id"`
	Claim    string             `json:"claim"`
	Overall  string             `json:"overall"`
	Verdicts map[string]Verdict `json:"verdicts"`
}

// Names returns the interpreters the claim was judged on, sorted.
func (c Claim) Names() []string {
	names := make([]string, 0, len(c.Verdicts))
	for n := range c.Verdicts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Report is `gilctl check --json`.
type Report struct {
	Claims []Claim `json:"claims"`
}

// Facts are what check needs beyond bench results, per interpreter name.
type Facts struct {
	// RefcountOutput is what pyexamples/refcount.py printed.
	RefcountOutput map[string]string
	// Info per interpreter name (including NAME+gil variants).
	Info map[string]bench.Interpreter
}

// index finds results by interpreter, workload, mode and workers.
type index map[string]bench.Result

func key(interp, workload, mode string, workers int) string {
	return fmt.Sprintf("%s|%s|%s|%d", interp, workload, mode, workers)
}

func newIndex(results []bench.Result) index {
	ix := index{}
	for _, r := range results {
		ix[key(r.Interpreter.Name, r.Workload, r.Mode, r.Workers)] = r
	}
	return ix
}

// speedupVerdict judges a cell's speedup against a rule.
func (ix index) speedupVerdict(interp, workload, mode string, workers int, holds func(float64) bool, rule string) Verdict {
	r, ok := ix[key(interp, workload, mode, workers)]
	switch {
	case !ok:
		return Verdict{NA, fmt.Sprintf("not measured (%s %s x%d was not in the run)", workload, mode, workers)}
	case r.Skipped != "":
		return Verdict{NA, fmt.Sprintf("%s %s x%d skipped: %s", workload, mode, workers, r.Skipped)}
	case r.Speedup == nil:
		return Verdict{NA, fmt.Sprintf("no serial baseline for %s x%d", workload, workers)}
	}
	v := DoesNotHold
	if holds(r.Speedup.Value) {
		v = Holds
	}
	return Verdict{v, fmt.Sprintf("%s %s x%d: %.2f ± %.2f times as fast as serial (%s; %s)",
		workload, mode, workers, r.Speedup.Value, r.Speedup.Err, secs(r.WallS.Median), rule)}
}

func secs(s float64) string { return fmt.Sprintf("%.3f s", s) }

// Evaluate judges every claim on every interpreter in results.
func Evaluate(results []bench.Result, facts Facts) Report {
	ix := newIndex(results)
	var names []string
	for _, r := range results {
		if !slices.Contains(names, r.Interpreter.Name) {
			names = append(names, r.Interpreter.Name)
		}
	}
	for name := range facts.RefcountOutput {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	info := map[string]bench.Interpreter{}
	for _, r := range results {
		info[r.Interpreter.Name] = r.Interpreter
	}
	for n, i := range facts.Info {
		info[n] = i
	}

	noSpeedup := func(x float64) bool { return x <= NoSpeedupMax }
	parallel := func(x float64) bool { return x >= ParallelMin }
	noRule := fmt.Sprintf("holds if <= %.2f", NoSpeedupMax)
	parRule := fmt.Sprintf("holds if >= %.2f", ParallelMin)

	claims := []Claim{
		perInterp("cpu-threads-no-speedup", "Two threads give no speedup on CPU-bound code (the GIL lets one run at a time)", names,
			func(n string) Verdict { return ix.speedupVerdict(n, "countdown", "threads", 2, noSpeedup, noRule) }),
		perInterp("io-threads-overlap", "I/O-bound threads overlap their waits (a waiting thread releases the GIL)", names,
			func(n string) Verdict { return ix.speedupVerdict(n, "io-sleep", "threads", 2, parallel, parRule) }),
		perInterp("multiprocessing-parallel", "multiprocessing uses several cores for CPU-bound code", names,
			func(n string) Verdict { return ix.speedupVerdict(n, "countdown", "processes", 2, parallel, parRule) }),
		perInterp("release-gil-parallel", "C code that releases the GIL (hashlib) runs in parallel in threads", names,
			func(n string) Verdict { return ix.speedupVerdict(n, "release-sha256", "threads", 2, parallel, parRule) }),
		perInterp("asyncio-overlap", "asyncio overlaps I/O waits in one thread", names,
			func(n string) Verdict { return asyncioVerdict(ix, n) }),
		perInterp("refcount-4-5", "sys.getrefcount of a new string prints 4, then 5 after a second reference", names,
			func(n string) Verdict { return refcountVerdict(facts.RefcountOutput, n) }),
		perInterp("free-threaded-build", "Free-threaded builds exist and run without the GIL; PYTHON_GIL=1 turns it back on", names,
			func(n string) Verdict { return freeThreadedVerdict(info, n) }),
		perInterp("nogil-single-thread-cost", "Removing the GIL slows single-threaded code", names,
			func(n string) Verdict { return singleThreadCost(ix, info, names, n) }),
	}
	return Report{Claims: claims}
}

func perInterp(id, text string, names []string, judge func(string) Verdict) Claim {
	c := Claim{ID: id, Claim: text, Verdicts: map[string]Verdict{}}
	for _, n := range names {
		c.Verdicts[n] = judge(n)
	}
	c.Overall = overall(c.Verdicts)
	return c
}

// overall sums up the verdicts: holds, does not hold, holds only on some
// interpreters (naming them), or n/a.
func overall(vs map[string]Verdict) string {
	var holds, not []string
	for n, v := range vs {
		switch v.Verdict {
		case Holds:
			holds = append(holds, n)
		case DoesNotHold:
			not = append(not, n)
		}
	}
	slices.Sort(holds)
	switch {
	case len(holds) == 0 && len(not) == 0:
		return NA
	case len(not) == 0:
		return Holds
	case len(holds) == 0:
		return DoesNotHold
	}
	return "holds only on " + strings.Join(holds, ", ")
}

func asyncioVerdict(ix index, n string) Verdict {
	a, okA := ix[key(n, "asyncio", "serial", 1)]
	s, okS := ix[key(n, "io-sleep", "serial", 1)]
	if !okA || !okS || a.WallS == nil || s.WallS == nil {
		return Verdict{NA, "needs asyncio serial x1 and io-sleep serial x1"}
	}
	ratio := s.WallS.Median / a.WallS.Median
	ops := a.Params.IOOps
	v := DoesNotHold
	if ratio >= float64(ops)/2 {
		v = Holds
	}
	return Verdict{v, fmt.Sprintf("%d sleeps of %.0f ms: asyncio in one thread %s, one after another %s (%.1fx; holds if >= %d, half the sleeps overlapping)",
		ops, a.Params.SleepS*1000, secs(a.WallS.Median), secs(s.WallS.Median), ratio, ops/2)}
}

func refcountVerdict(outputs map[string]string, n string) Verdict {
	out, ok := outputs[n]
	if !ok {
		return Verdict{NA, "refcount.py was not run on this interpreter"}
	}
	got := strings.Join(strings.Fields(out), " ")
	if got == "4 5" {
		return Verdict{Holds, "printed 4 5"}
	}
	return Verdict{DoesNotHold, fmt.Sprintf("printed %s (string literals are immortal since 3.12, PEP 683)", got)}
}

func freeThreadedVerdict(info map[string]bench.Interpreter, n string) Verdict {
	i, ok := info[n]
	if !ok {
		return Verdict{NA, "no interpreter info"}
	}
	if !i.FreeThreaded {
		return Verdict{NA, fmt.Sprintf("%s is a GIL build", n)}
	}
	base := strings.TrimSuffix(n, "+gil")
	off, okOff := info[base]
	on, okOn := info[base+"+gil"]
	switch {
	case !okOff || !okOn:
		return Verdict{NA, fmt.Sprintf("needs both %s and %s+gil", base, base)}
	case !off.GILEnabled && on.GILEnabled:
		return Verdict{Holds, fmt.Sprintf("%s (CPython %s) runs with the GIL off; with PYTHON_GIL=1 it is on", base, off.Version)}
	}
	return Verdict{DoesNotHold, fmt.Sprintf("%s: GIL on=%v by default, on=%v with PYTHON_GIL=1", base, off.GILEnabled, on.GILEnabled)}
}

// singleThreadCost compares countdown serial x1 of a free-threaded
// interpreter with the GIL build of the nearest version measured.
func singleThreadCost(ix index, info map[string]bench.Interpreter, names []string, n string) Verdict {
	i := info[n]
	if !i.FreeThreaded {
		return Verdict{NA, fmt.Sprintf("%s has a GIL", n)}
	}
	ft, ok := ix[key(n, "countdown", "serial", 1)]
	if !ok || ft.WallS == nil {
		return Verdict{NA, "countdown serial x1 not measured"}
	}
	var ref *bench.Result
	for _, other := range names {
		if info[other].FreeThreaded {
			continue
		}
		if r, ok := ix[key(other, "countdown", "serial", 1)]; ok && r.WallS != nil {
			if ref == nil || info[other].Version > ref.Interpreter.Version {
				rr := r
				ref = &rr
			}
		}
	}
	if ref == nil {
		return Verdict{NA, "no GIL build measured to compare with"}
	}
	slower := (ft.WallS.Median/ref.WallS.Median - 1) * 100
	v := DoesNotHold
	if slower > SlowdownMinPct {
		v = Holds
	}
	return Verdict{v, fmt.Sprintf("countdown in one thread: %s on %s vs %s on %s: %.0f%% slower (holds if > %.0f%%)",
		secs(ft.WallS.Median), n, secs(ref.WallS.Median), ref.Interpreter.Name, slower, SlowdownMinPct)}
}
