package check

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// gilBaseline picks the GIL build a free-threaded build's single-thread
// cost is measured against, among the candidates (interpreters whose
// countdown serial x1 was measured):
//
//   - the GIL build of the same version built from the same source (same
//     SHA-256), labelled "same source": the cost of free-threading alone;
//   - otherwise the GIL build of the nearest version, compared numerically,
//     labelled "cross-version (X vs Y)": that figure mixes the cost of
//     free-threading with everything else that changed between versions,
//     or between two builds of one version (another tarball, or Debian's
//     binary package, whose label names it: Debian's patches and build
//     options differ from a plain build's).
//
// Each free-threaded build gets its own baseline, so 3.13t and 3.14t are
// each compared with the GIL build of their own source where it exists.
func gilBaseline(ft results.Interpreter, candidates []results.Interpreter) (base results.Interpreter, label string, ok bool) {
	ftv, err := results.ParseVersion(ft.Version)
	if err != nil {
		return results.Interpreter{}, "", false
	}
	var best results.Interpreter
	var bestDist [3]int
	found := false
	for _, c := range candidates {
		if c.FreeThreaded {
			continue // 3.13t+gil is the same build with the GIL switched on, not a GIL build
		}
		if ft.Source != nil && c.Source != nil && ft.Source.SHA256 != "" &&
			c.Source.SHA256 == ft.Source.SHA256 && c.Version == ft.Version {
			return c, "same source", true
		}
		cv, err := results.ParseVersion(c.Version)
		if err != nil {
			continue
		}
		d := distance(ftv, cv)
		if !found || less(d, bestDist) || (d == bestDist && cv.Compare(mustVersion(best.Version)) > 0) {
			best, bestDist, found = c, d, true
		}
	}
	if !found {
		return results.Interpreter{}, "", false
	}
	if s := best.Source; s != nil && s.Package != "" {
		return best, fmt.Sprintf("cross-version (%s vs %s, Debian's binary package %s)", ft.Version+"t", best.Version, s.Package), true
	}
	return best, fmt.Sprintf("cross-version (%s vs %s)", ft.Version+"t", best.Version), true
}

// distance is how far apart two versions are: major, minor and patch
// differences, compared in that order.
func distance(a, b results.Version) [3]int {
	var d [3]int
	for i := range a {
		d[i] = max(a[i]-b[i], b[i]-a[i])
	}
	return d
}

func less(a, b [3]int) bool { return results.Version(a).Compare(results.Version(b)) < 0 }

func mustVersion(s string) results.Version {
	v, _ := results.ParseVersion(s)
	return v
}

// singleThreadCost compares countdown serial x1 of a free-threaded
// interpreter with the GIL build gilBaseline picks.
func (j judge) singleThreadCost(cl claim, n string) Verdict {
	x := cl.Ratios[0]
	i := j.info[n]
	if !i.FreeThreaded {
		return Verdict{Verdict: NA, Evidence: fmt.Sprintf("%s has a GIL", n)}
	}
	if i.GILEnabled {
		return Verdict{Verdict: NA, Evidence: fmt.Sprintf("%s runs with the GIL on; the claim is about the build without it", n)}
	}
	ft, why := usable(j.ix, results.Key{Interpreter: n, Cell: x.Num})
	if why != "" {
		return Verdict{Verdict: NA, Evidence: why}
	}
	base, label, ok := gilBaseline(ft.Interpreter, j.candidates(x.Den))
	if !ok {
		return Verdict{Verdict: NA, Evidence: "no GIL build measured to compare with"}
	}
	g := j.compare(x.on(cl.ID, n, base.Name, results.Params{}))
	if v, ok := unjudged(g); ok {
		return v
	}
	ref, _ := j.ix.Get(base.Name, x.Den)
	ev := fmt.Sprintf("countdown in one thread: %s on %s vs %s on %s: %+.0f%% (%.2f as a ratio, %s; holds if more than %.0f%% slower); baseline: %s",
		secs(ft.WallS.Median), n, secs(ref.WallS.Median), base.Name, (g.Ratio-1)*100, g.Ratio, j.interval(g), SlowdownMinPct, label)
	if label != "same source" {
		ev += ", so the figure also contains every other change between the versions, not only the cost of free-threading"
	}
	return Verdict{Verdict: g.Verdict, Evidence: because(ev, g), Baseline: label}
}

// candidates are the interpreters whose cell c was measured.
func (j judge) candidates(c results.Cell) []results.Interpreter {
	var out []results.Interpreter
	for _, other := range j.names {
		if r, ok := j.ix.Get(other, c); ok && r.Measured() {
			out = append(out, r.Interpreter)
		}
	}
	return out
}
