package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/stats"
)

// cellKey identifies a row of the side-by-side table.
type cellKey struct {
	workload, mode string
	workers        int
}

// grouped returns the interpreters in order of appearance, the cells in
// order of appearance, and the results by cell and interpreter.
func grouped(results []bench.Result) ([]string, []cellKey, map[cellKey]map[string]bench.Result) {
	var names []string
	var cells []cellKey
	by := map[cellKey]map[string]bench.Result{}
	for _, r := range results {
		if !slices.Contains(names, r.Interpreter.Name) {
			names = append(names, r.Interpreter.Name)
		}
		k := cellKey{r.Workload, r.Mode, r.Workers}
		if by[k] == nil {
			by[k] = map[string]bench.Result{}
			cells = append(cells, k)
		}
		by[k][r.Interpreter.Name] = r
	}
	return names, cells, by
}

// SideBySide writes one table with a column per interpreter (median wall
// and speedup against that interpreter's serial run), then for each cell
// how much faster the fastest interpreter ran than each other one.
func SideBySide(w io.Writer, results []bench.Result) error {
	for _, h := range headers(results) {
		fmt.Fprintln(w, h)
	}
	fmt.Fprintln(w)
	names, cells, by := grouped(results)
	notes, reasons := skipNotes(results)
	noteByResult := map[string]int{}
	for i, r := range results {
		noteByResult[resultID(r)] = notes[i]
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"workload", "mode", "workers"}
	for _, n := range names {
		head = append(head, n+" wall", n+" speedup")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, k := range cells {
		row := []string{k.workload, k.mode, fmt.Sprint(k.workers)}
		for _, n := range names {
			r, ok := by[k][n]
			switch {
			case !ok:
				row = append(row, "-", "-")
			case r.Skipped != "":
				row = append(row, fmt.Sprintf("skipped [%d]", noteByResult[resultID(r)]), "-")
			default:
				sp := "-"
				if r.Speedup != nil {
					sp = fmt.Sprintf("%.2f ± %.2f", r.Speedup.Value, r.Speedup.Err)
				}
				row = append(row, fmt.Sprintf("%s ± %s", secs(r.WallS.Median), secs(r.WallS.StdDev)), sp)
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for i, reason := range reasons {
		fmt.Fprintf(w, "[%d] %s\n", i+1, reason)
	}
	if len(names) > 1 {
		fmt.Fprintln(w)
		for _, k := range cells {
			if line := fasterLine(k, names, by[k]); line != "" {
				fmt.Fprintln(w, line)
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, legend)
	return nil
}

// fasterLine says, hyperfine-style, how many times faster the fastest
// interpreter ran a cell than each of the others.
func fasterLine(k cellKey, names []string, cell map[string]bench.Result) string {
	var measured []bench.Result
	for _, n := range names {
		if r, ok := cell[n]; ok && r.Skipped == "" && r.WallS != nil {
			measured = append(measured, r)
		}
	}
	if len(measured) < 2 {
		return ""
	}
	fastest := measured[0]
	for _, r := range measured[1:] {
		if r.WallS.Mean < fastest.WallS.Mean {
			fastest = r
		}
	}
	var parts []string
	for _, r := range measured {
		if r.Interpreter.Name == fastest.Interpreter.Name {
			continue
		}
		ratio := stats.RatioOf(*r.WallS, *fastest.WallS)
		parts = append(parts, fmt.Sprintf("%.2f ± %.2f times faster than %s", ratio.Value, ratio.Err, r.Interpreter.Name))
	}
	return fmt.Sprintf("%s %s x%d: %s ran %s", k.workload, k.mode, k.workers, fastest.Interpreter.Name, strings.Join(parts, ", "))
}

func resultID(r bench.Result) string {
	return fmt.Sprintf("%s|%s|%s|%d", r.Interpreter.Name, r.Workload, r.Mode, r.Workers)
}
