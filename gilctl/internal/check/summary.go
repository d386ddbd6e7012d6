package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// SummaryModes are the modes the summary weighs a free-threaded build in:
// the parallel ones a GIL limits, whose workers share one interpreter
// (processes and subinterpreters have a GIL each).
func SummaryModes() []results.Mode {
	var out []results.Mode
	for _, m := range results.Modes() {
		if m.SharesGIL() && m != results.Serial {
			out = append(out, m)
		}
	}
	return out
}

// Summary answers, per workload and free-threaded build (with the GIL
// off), the question of someone deciding on it: what does one thread cost
// against the GIL build (the same source when the results record one, as
// nogil-single-thread-cost picks it), and from how many workers, if any,
// is it faster in the same mode.
type Summary struct {
	Workload    string `json:"workload"`
	Interpreter string `json:"interpreter"`
	Baseline    string `json:"baseline"`
	// BaselineKind is "same source" or "cross-version (X vs Y)".
	BaselineKind string `json:"baseline_kind"`
	// SingleThread says what one worker in serial costs, in words.
	SingleThread string `json:"single_thread"`
	// Modes says, per mode, from how many workers it wins.
	Modes []string `json:"modes"`
	// Note says why a workload has no comparison: it ran nowhere.
	Note string `json:"note,omitempty"`
}

// String is the summary as a heading line and one indented line per
// comparison.
func (s Summary) String() string {
	if s.Note != "" {
		return fmt.Sprintf("%s: %s", s.Workload, s.Note)
	}
	lines := []string{fmt.Sprintf("%s: %s against %s, %s", s.Workload, s.Interpreter, s.Baseline, s.BaselineKind), "  one thread: " + s.SingleThread}
	for _, m := range s.Modes {
		lines = append(lines, "  "+m)
	}
	return strings.Join(lines, "\n")
}

// Summarize returns a Summary per workload (probes aside) and
// free-threaded interpreter with the GIL off that has a GIL baseline in rs.
func Summarize(rs []results.Result) []Summary {
	ix := results.NewIndex(rs)
	names := results.Names(rs)
	var out []Summary
	for _, w := range workloadsOf(rs) {
		found := false
		for _, n := range names {
			if s, ok := summarize(ix, names, w, n); ok {
				out = append(out, s)
				found = true
			}
		}
		if why := notMeasured(rs, w); !found && why != "" {
			out = append(out, Summary{Workload: w, Note: why})
		}
	}
	return out
}

// notMeasured says why no cell of workload w has figures, or "" when
// some has.
func notMeasured(rs []results.Result, w string) string {
	why := ""
	for _, r := range rs {
		if r.Workload != w {
			continue
		}
		if r.Measured() {
			return ""
		}
		if why == "" {
			why = "not measured on any interpreter: " + r.Skipped
		}
	}
	return why
}

func workloadsOf(rs []results.Result) []string {
	var out []string
	for _, r := range rs {
		if !r.IsProbe() && !slices.Contains(out, r.Workload) {
			out = append(out, r.Workload)
		}
	}
	return out
}

// serialCell is the workload's serial cell with the fewest workers that
// both interpreters measured (x1 normally).
func serialCell(ix results.Index, w, a, b string, workers []int) (results.Result, results.Result, bool) {
	for _, k := range workers {
		c := results.Cell{Workload: w, Mode: results.Serial, Workers: k}
		ra, okA := ix.Get(a, c)
		rb, okB := ix.Get(b, c)
		if okA && okB && ra.Measured() && rb.Measured() {
			return ra, rb, true
		}
	}
	return results.Result{}, results.Result{}, false
}

func workersOf(ix results.Index, w string) []int {
	var out []int
	for k := range ix {
		if k.Workload == w && !slices.Contains(out, k.Workers) {
			out = append(out, k.Workers)
		}
	}
	slices.Sort(out)
	return out
}

func summarize(ix results.Index, names []string, w, n string) (Summary, bool) {
	workers := workersOf(ix, w)
	var ft results.Interpreter
	var candidates []results.Interpreter
	found := false
	for _, other := range names {
		for _, k := range workers {
			r, ok := ix.Get(other, results.Cell{Workload: w, Mode: results.Serial, Workers: k})
			if !ok || !r.Measured() {
				continue
			}
			if other == n {
				ft, found = r.Interpreter, true
			} else {
				candidates = append(candidates, r.Interpreter)
			}
			break
		}
	}
	if !found || !ft.FreeThreaded || ft.GILEnabled {
		return Summary{}, false
	}
	base, kind, ok := gilBaseline(ft, candidates)
	if !ok {
		return Summary{}, false
	}
	s := Summary{Workload: w, Interpreter: n, Baseline: base.Name, BaselineKind: kind}
	a, b, ok := serialCell(ix, w, n, base.Name, workers)
	if !ok {
		s.SingleThread = "not measured (no serial cell on both)"
	} else {
		s.SingleThread = fmt.Sprintf("%s (serial x%d: %s vs %s)", compareWalls(a, b), a.Workers, secs(a.WallS.Median), secs(b.WallS.Median))
	}
	for _, mode := range SummaryModes() {
		if line := winsFrom(ix, w, mode, n, base.Name, workers); line != "" {
			s.Modes = append(s.Modes, line)
		}
	}
	return s, true
}

// compareWalls says how a's run time compares with b's: "1.42x slower",
// "1.10x faster", or "as fast: 0.98x the time, the interval 0.91–1.07
// contains 1".
func compareWalls(a, b results.Result) string {
	x := PairedRatio(a, b) // > 1: a is slower
	var out string
	switch {
	case !x.Bounded:
		out = fmt.Sprintf("%.2fx the time, no interval yet (%d pairs)", x.Ratio, x.Pairs)
	case x.Lo > 1:
		out = fmt.Sprintf("%.2fx slower", x.Ratio)
	case x.Hi < 1:
		out = fmt.Sprintf("%.2fx faster", 1/x.Ratio)
	default:
		out = fmt.Sprintf("as fast: %.2fx the time, the interval %.2f–%.2f contains 1", x.Ratio, x.Lo, x.Hi)
	}
	if a.Busy() || b.Busy() {
		out += ", measured on a busy machine: not to be trusted"
	}
	return out
}

// PairedRatio is num's wall times over den's, their runs paired by round,
// judged against 1 by the default rule (a Lo above 1: num is slower).
func PairedRatio(num, den results.Result) Judgement {
	c := Comparison{Claim: "ratio", Num: num.Key(), Den: den.Key(), Quantity: results.WallTime, Rule: rule{limit: 1}}
	return DefaultJudging.Judge(results.NewIndex([]results.Result{num, den}), c)
}

// winsFrom says from how many workers the free-threaded build ran the mode
// significantly faster than the GIL build (the paired ratio's whole
// interval above 1), at that count and every larger one measured.
func winsFrom(ix results.Index, w string, mode results.Mode, ft, base string, workers []int) string {
	type point struct {
		k     int
		ratio Judgement
		busy  bool
	}
	var pts []point
	for _, k := range workers {
		c := results.Cell{Workload: w, Mode: mode, Workers: k}
		a, okA := ix.Get(ft, c)
		b, okB := ix.Get(base, c)
		if okA && okB && a.Measured() && b.Measured() {
			pts = append(pts, point{k, PairedRatio(b, a), a.Busy() || b.Busy()})
		}
	}
	if len(pts) == 0 {
		return ""
	}
	wins := func(p point) bool { return p.ratio.Bounded && p.ratio.Lo > 1 && !p.busy }
	from := -1
	for i := len(pts) - 1; i >= 0 && wins(pts[i]); i-- {
		from = i
	}
	var figs []string
	busy := false
	for _, p := range pts {
		f := fmt.Sprintf("%.2fx at %d", p.ratio.Ratio, p.k)
		if p.busy {
			f += " (busy)"
			busy = true
		}
		figs = append(figs, f)
	}
	detail := fmt.Sprintf("speed against %s: %s", base, strings.Join(figs, ", "))
	switch {
	case from >= 0:
		return fmt.Sprintf("%s: faster from %d worker%s on (%s)", mode, pts[from].k, plural(pts[from].k), detail)
	case busy:
		return fmt.Sprintf("%s: not shown to be faster (%s; busy cells are not judged)", mode, detail)
	}
	return fmt.Sprintf("%s: never significantly faster (%s)", mode, detail)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// SummaryText writes the summaries as plain lines under a heading, or one
// line saying why there are none.
func SummaryText(ss []Summary) string {
	var b strings.Builder
	b.WriteString("Summary: free-threaded builds against the GIL build, per workload (geometric means of the ratios of paired runs' wall times; \"faster\" only when the whole 95% confidence sequence says so)\n")
	if len(ss) == 0 {
		b.WriteString("  nothing to summarize: these results hold no free-threaded build with the GIL off next to a GIL build\n")
		return b.String()
	}
	for _, s := range ss {
		b.WriteString(s.String() + "\n")
	}
	return b.String()
}
