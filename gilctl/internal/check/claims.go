package check

import "github.com/gilkit/gilkit/gilctl/internal/results"

// claim is one of the article's claims: what it says, the ratios its
// verdict judges (their cells are what a check measures, for as long as the
// ratios need), and how the verdict is reached on one interpreter.
type claim struct {
	ID, Text string
	Ratios   []ratio
	verdict  func(j judge, c claim, n string) Verdict
}

// Rules of the claims.
var (
	noSpeedupRule = rule{atMost: true, limit: NoSpeedupMax}
	parallelRule  = rule{limit: ParallelMin}
	slowdownRule  = rule{limit: 1 + SlowdownMinPct/100}
	ioUnderRule   = rule{limit: IOUnderLoadMin}
	// Half of the run's sleeps overlapping.
	overlapRule = rule{perIOOp: 0.5}
)

// timed is a cell of timed work.
func timed(workload string, m results.Mode, workers int) results.Cell {
	return results.Cell{Workload: workload, Mode: m, Workers: workers}
}

// ioProbeCell is the I/O probe's cell beside cpuThreads CPU-bound threads.
func ioProbeCell(cpuThreads int) results.Cell {
	return results.Cell{Workload: results.ProbeIO, Prober: results.ProbeThread, CPUThreads: cpuThreads, SwitchIntervalS: results.DefaultSwitchIntervalS}
}

// claims are the article's claims, in report order.
var claims = []claim{
	{ID: "cpu-threads-no-speedup", Text: "Two threads give no speedup on CPU-bound code (the GIL lets one run at a time)",
		Ratios:  []ratio{speedup(timed(results.Countdown, results.Threads, 2), noSpeedupRule)},
		verdict: judge.speedupClaim},
	{ID: "io-threads-overlap", Text: "I/O-bound threads overlap their waits (a waiting thread releases the GIL)",
		Ratios:  []ratio{speedup(timed(results.IOSleep, results.Threads, 2), parallelRule)},
		verdict: judge.speedupClaim},
	{ID: "multiprocessing-parallel", Text: "multiprocessing uses several cores for CPU-bound code",
		Ratios:  []ratio{speedup(timed(results.Countdown, results.Processes, 2), parallelRule)},
		verdict: judge.speedupClaim},
	// The libraries as measured: C code (hashlib), Go code called through
	// the module gilkit in the embedded interpreter, and Go code built by
	// gopy and called from a plain python process; the same Go loop with
	// the GIL held is the control, which on a GIL build shows that
	// releasing the GIL is what makes the difference.
	{ID: "release-gil-parallel", Text: "Libraries that release the GIL (C: hashlib; Go: gilkit.countdown, gopy) run in parallel in threads",
		Ratios: []ratio{
			labelled("C (hashlib)", speedup(timed(results.ReleaseSHA256, results.Threads, 2), parallelRule)),
			optional(labelled("Go in the embedded interpreter (gilkit.countdown)", speedup(timed(results.GoRelease, results.Threads, 2), parallelRule))),
			optional(labelled("Go from plain python (gopy)", speedup(timed(results.Gopy, results.Threads, 2), parallelRule))),
			control(labelled("control, the same Go loop holding the GIL", speedup(timed(results.GoHeld, results.Threads, 2), rule{}))),
		},
		verdict: judge.releaseVerdict},
	{ID: "asyncio-overlap", Text: "asyncio overlaps I/O waits in one thread",
		Ratios: []ratio{{Num: timed(results.IOSleep, results.Serial, 1), Den: timed(results.Asyncio, results.Serial, 1),
			Quantity: results.WallTime, Rule: overlapRule}},
		verdict: judge.asyncioVerdict},
	{ID: "io-threads-under-cpu-load", Text: "I/O-bound threads work well in Python, also while a CPU-bound thread runs",
		Ratios:  []ratio{{Num: ioProbeCell(1), Den: ioProbeCell(0), Quantity: results.RoundTrips, Rule: ioUnderRule}},
		verdict: judge.ioUnderLoadVerdict},
	{ID: "refcount-4-5", Text: "sys.getrefcount of a new string prints 4, then 5 after a second reference",
		verdict: judge.refcountVerdict},
	{ID: "free-threaded-build", Text: "Free-threaded builds exist and run without the GIL; PYTHON_GIL=1 turns it back on",
		verdict: judge.freeThreadedVerdict},
	{ID: "nogil-single-thread-cost", Text: "Removing the GIL slows single-threaded code",
		Ratios: []ratio{{Num: timed(results.Countdown, results.Serial, 1), Den: timed(results.Countdown, results.Serial, 1),
			Quantity: results.WallTime, Rule: slowdownRule, OnBaseline: true}},
		verdict: judge.singleThreadCost},
}

// optional is x left out of the evidence where its cells were not in the
// run.
func optional(x ratio) ratio {
	x.Optional = true
	return x
}

// control is x shown beside the verdict, never judged.
func control(x ratio) ratio {
	x.Control = true
	return x
}
