// Package report writes bench results for people (table, Markdown) and for
// tools (JSON, CSV, Go benchmark format that benchstat reads).
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
)

// Format writes results to w.
type Format func(w io.Writer, results []bench.Result) error

// Formats maps the names of --format (and the --json, --csv, ... flags) to
// writers.
var Formats = map[string]Format{
	"table":    Table,
	"json":     JSON,
	"csv":      CSV,
	"markdown": Markdown,
	"gobench":  GoBench,
}

// JSON writes {"results": [...]}.
func JSON(w io.Writer, results []bench.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(bench.Report{Results: nonNil(results)})
}

func nonNil(r []bench.Result) []bench.Result {
	if r == nil {
		return []bench.Result{}
	}
	return r
}

func secs(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Microsecond * 100).String()
}

func gil(i bench.Interpreter) string {
	if i.GILEnabled {
		return "GIL on"
	}
	return "GIL off"
}

// headers lists the interpreters and machines the results came from.
func headers(results []bench.Result) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range results {
		i := r.Interpreter
		if seen[i.Name] {
			continue
		}
		seen[i.Name] = true
		build := "GIL build"
		if i.FreeThreaded {
			build = "free-threaded build"
		}
		out = append(out, fmt.Sprintf("%s: CPython %s, %s, %s at run time, switch interval %s; %d cores, GOMAXPROCS %d",
			i.Name, i.Version, build, gil(i), secs(i.SwitchInterval), r.Machine.Cores, r.Machine.GOMAXPROCS))
	}
	return out
}

// row is the text of one result's columns; a skipped cell shows a dash per
// figure and its note number (see notes).
func row(r bench.Result, note int) []string {
	cols := []string{r.Interpreter.Name, r.Workload, r.Mode, strconv.Itoa(r.Workers)}
	if r.Skipped != "" {
		cols = append(cols, fmt.Sprintf("skipped [%d]", note))
		for len(cols) < len(columns) {
			cols = append(cols, "-")
		}
		return cols
	}
	w := r.WallS
	speed, eff := "", ""
	if r.Speedup != nil {
		speed = fmt.Sprintf("%.2f ± %.2f", r.Speedup.Value, r.Speedup.Err)
		eff = fmt.Sprintf("%.0f%%", r.Efficiency*100)
	}
	return append(cols,
		secs(w.Median),
		fmt.Sprintf("%s ± %s", secs(w.Mean), secs(w.StdDev)),
		fmt.Sprintf("%s … %s", secs(w.Min), secs(w.Max)),
		secs(r.CPUS.Median),
		fmt.Sprintf("%.2f", r.CPUUtilization),
		speed, eff,
	)
}

var columns = []string{"python", "workload", "mode", "workers", "wall median", "mean ± σ", "min … max", "cpu", "cpu/wall", "speedup", "efficiency"}

// skipNotes numbers the distinct reasons for skipped cells, in order.
func skipNotes(results []bench.Result) (numbers []int, reasons []string) {
	index := map[string]int{}
	numbers = make([]int, len(results))
	for i, r := range results {
		if r.Skipped == "" {
			continue
		}
		n, ok := index[r.Skipped]
		if !ok {
			reasons = append(reasons, r.Skipped)
			n = len(reasons)
			index[r.Skipped] = n
		}
		numbers[i] = n
	}
	return numbers, reasons
}

const legend = "speedup = serial wall / this wall on the same interpreter with the same total work (mean ratio ± propagated σ);\n" +
	"efficiency = speedup / workers; cpu/wall 1.00 = one core busy."

// Table writes an aligned text table, one line per cell, then the reasons
// for skipped cells.
func Table(w io.Writer, results []bench.Result) error {
	for _, h := range headers(results) {
		fmt.Fprintln(w, h)
	}
	fmt.Fprintln(w)
	notes, reasons := skipNotes(results)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(columns, "\t"))
	for i, r := range results {
		fmt.Fprintln(tw, strings.Join(row(r, notes[i]), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for i, reason := range reasons {
		fmt.Fprintf(w, "[%d] %s\n", i+1, reason)
	}
	fmt.Fprintln(w, legend)
	return nil
}

// Markdown writes a GitHub-flavoured Markdown table.
func Markdown(w io.Writer, results []bench.Result) error {
	for _, h := range headers(results) {
		fmt.Fprintf(w, "- %s\n", h)
	}
	fmt.Fprintln(w)
	notes, reasons := skipNotes(results)
	fmt.Fprintf(w, "| %s |\n", strings.Join(columns, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(columns)))
	for i, r := range results {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row(r, notes[i]), " | "))
	}
	fmt.Fprintln(w)
	for i, reason := range reasons {
		fmt.Fprintf(w, "%d. %s\n", i+1, reason)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, strings.ReplaceAll(legend, "\n", " "))
	return nil
}

// CSV writes one row per cell with raw numbers (seconds).
func CSV(w io.Writer, results []bench.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"python", "version", "free_threaded", "gil_enabled", "workload", "mode", "workers", "runs",
		"wall_median_s", "wall_mean_s", "wall_stddev_s", "wall_min_s", "wall_max_s", "cpu_median_s", "cpu_utilization",
		"speedup", "speedup_err", "efficiency", "skipped"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	for _, r := range results {
		i := r.Interpreter
		rec := []string{i.Name, i.Version, strconv.FormatBool(i.FreeThreaded), strconv.FormatBool(i.GILEnabled), r.Workload, r.Mode, strconv.Itoa(r.Workers)}
		if r.Skipped != "" {
			rec = append(rec, "", "", "", "", "", "", "", "", "", "", "", r.Skipped)
		} else {
			sp, spe := "", ""
			if r.Speedup != nil {
				sp, spe = f(r.Speedup.Value), f(r.Speedup.Err)
			}
			rec = append(rec, strconv.Itoa(r.Runs), f(r.WallS.Median), f(r.WallS.Mean), f(r.WallS.StdDev), f(r.WallS.Min), f(r.WallS.Max),
				f(r.CPUS.Median), f(r.CPUUtilization), sp, spe, f(r.Efficiency), "")
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// GoBench writes every counted run in Go benchmark format, one block per
// interpreter behind a "python: NAME" configuration line, so that
// benchstat can compare interpreters (benchstat -col /python).
func GoBench(w io.Writer, results []bench.Result) error {
	current := ""
	for _, r := range results {
		if r.Interpreter.Name != current {
			current = r.Interpreter.Name
			fmt.Fprintf(w, "python: %s\n", current)
		}
		name := fmt.Sprintf("BenchmarkGIL/workload=%s/mode=%s/workers=%d", r.Workload, r.Mode, r.Workers)
		if r.Skipped != "" {
			fmt.Fprintf(w, "# %s skipped: %s\n", name, r.Skipped)
			continue
		}
		for k, wall := range r.RawWallS {
			cpu := r.RawCPUS[k]
			fmt.Fprintf(w, "%s\t1\t%d ns/op\t%.3f cpu-util\n", name, int64(wall*1e9), cpu/wall)
		}
	}
	return nil
}
