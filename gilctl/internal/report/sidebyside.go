package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// SideBySide writes one table with a column pair per interpreter (median
// wall ± σ and speedup against that interpreter's serial run), then for
// each cell how much faster the fastest interpreter ran than each other
// one, benchstat-style (with the p-value of a Mann-Whitney U test).
func SideBySide(w io.Writer, rs []results.Result) error {
	for _, h := range Headers(rs) {
		fmt.Fprintln(w, h)
	}
	fmt.Fprintln(w)
	names := results.Names(rs)
	var n notes
	work, probes := results.Workloads(rs), results.Probes(rs)
	if len(work) > 0 || len(probes) == 0 {
		if err := workloadSideBySide(w, work, names, &n); err != nil {
			return err
		}
	}
	if len(probes) > 0 {
		if len(work) > 0 {
			fmt.Fprintln(w)
		}
		if err := probeSideBySide(w, probes, &n); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	for i, reason := range n.reasons {
		fmt.Fprintf(w, "[%d] %s\n", i+1, reason)
	}
	ix := results.NewIndex(work)
	if len(names) > 1 && len(work) > 0 {
		fmt.Fprintln(w)
		for _, c := range cells(work) {
			if line := FasterLine(c, names, ix); line != "" {
				fmt.Fprintln(w, line)
			}
		}
	}
	legends(w, work, probes, false)
	return nil
}

func workloadSideBySide(w io.Writer, rs []results.Result, names []string, n *notes) error {
	ix := results.NewIndex(rs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"workload", "mode", "workers"}
	for _, name := range names {
		head = append(head, name+" wall", name+" speedup")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, c := range cells(rs) {
		row := []string{c.Workload, c.Mode, fmt.Sprint(c.Workers)}
		for _, name := range names {
			r, ok := ix.Get(name, c)
			switch {
			case !ok:
				row = append(row, "-", "-")
			case !r.Measured():
				row = append(row, fmt.Sprintf("skipped [%d]", n.add(r.Skipped)), "-")
			default:
				wall := fmt.Sprintf("%s ± %s", secs(r.WallS.Median), secs(r.WallS.StdDev))
				if r.Busy() {
					wall += " " + busyMark(r, n)
				}
				row = append(row, wall, ratio(r.Speedup))
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// FasterLine says, hyperfine-style, how many times faster the fastest
// interpreter ran a cell than each of the others, with the interval of the
// ratio and whether the difference is significant at all.
func FasterLine(c results.Cell, names []string, ix results.Index) string {
	var measured []results.Result
	for _, n := range names {
		if r, ok := ix.Get(n, c); ok && r.Measured() {
			measured = append(measured, r)
		}
	}
	if len(measured) < 2 {
		return ""
	}
	fastest := measured[0]
	for _, r := range measured[1:] {
		if r.WallS.Median < fastest.WallS.Median {
			fastest = r
		}
	}
	var parts []string
	for _, r := range measured {
		if r.Interpreter.Name == fastest.Interpreter.Name {
			continue
		}
		p, differ := results.Compare(r.RawWallS, fastest.RawWallS)
		x := results.RatioOf(*r.WallS, *fastest.WallS)
		part := fmt.Sprintf("%s times faster than %s (p=%.3f)", ratio(&x), r.Interpreter.Name, p)
		if !differ {
			part = fmt.Sprintf("as fast as %s (%.2fx; the difference is not significant, p=%.3f)", r.Interpreter.Name, x.Value, p)
		}
		if r.Busy() || fastest.Busy() {
			part += " [busy machine]"
		}
		parts = append(parts, part)
	}
	return fmt.Sprintf("%s: %s ran %s", c, fastest.Interpreter.Name, strings.Join(parts, ", "))
}
