package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// SideBySide writes one table with a column pair per interpreter (median
// wall ± σ and speedup against that interpreter's serial run), then for
// each cell how much faster the fastest interpreter ran than each other
// one, hyperfine-style, with the confidence sequence of the ratio of their
// runs paired by round (check.PairedRatio).
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
		row := []string{c.Workload, string(c.Mode), fmt.Sprint(c.Workers)}
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
// interpreter (by median) ran a cell than each of the others, with the
// interval of the ratio of their paired runs and whether it excludes 1.
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
		x := check.PairedRatio(r, fastest)
		part := fmt.Sprintf("%.2f [%.2f, %.2f] times faster than %s (95%% CS, %d pairs)", x.Ratio, x.Lo, x.Hi, r.Interpreter.Name, x.Pairs)
		switch {
		case !x.Bounded:
			part = fmt.Sprintf("%.2f times as fast as %s (no interval yet, %d pairs)", x.Ratio, r.Interpreter.Name, x.Pairs)
		case x.Lo <= 1:
			part = fmt.Sprintf("as fast as %s (%.2fx; the interval %.2f–%.2f contains 1, %d pairs)", r.Interpreter.Name, x.Ratio, x.Lo, x.Hi, x.Pairs)
		}
		if r.Busy() || fastest.Busy() {
			part += " [busy machine]"
		}
		parts = append(parts, part)
	}
	return fmt.Sprintf("%s: %s ran %s", c, fastest.Interpreter.Name, strings.Join(parts, ", "))
}
