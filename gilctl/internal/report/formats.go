// Package report writes results for people (table, side-by-side table,
// Markdown, the HTML report with charts) and for tools (JSON, CSV, Go
// benchmark format that benchstat reads). It does not import embed.
package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Format writes results to w.
type Format func(w io.Writer, rs []results.Result) error

// FormatNames are the names of --format, in the order help lists them.
var FormatNames = []string{"table", "json", "csv", "markdown", "gobench"}

// ByName returns the writer of a format name.
func ByName(name string) (Format, error) {
	switch name {
	case "table":
		return Table, nil
	case "json":
		return results.WriteJSON, nil
	case "csv":
		return CSV, nil
	case "markdown":
		return Markdown, nil
	case "gobench":
		return GoBench, nil
	}
	return nil, fmt.Errorf("unknown format %q (%s)", name, strings.Join(FormatNames, ", "))
}

func secs(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Microsecond * 100).String()
}

// Headers describe the interpreters and machines the results came from,
// one line each.
func Headers(rs []results.Result) []string {
	is, ms := results.Interpreters(rs)
	var out []string
	for k, i := range is {
		m := ms[k]
		line := fmt.Sprintf("%s: CPython %s, %s, %s at run time, switch interval %s; %d cores, GOMAXPROCS %d",
			i.Name, i.Version, i.Build(), i.GIL(), secs(i.SwitchInterval), m.Cores, m.GOMAXPROCS)
		if s := i.Source; s != nil && s.Package != "" {
			line += fmt.Sprintf("; Debian's binary package %s (%s)", s.Package, s.Origin)
		} else if s != nil {
			line += fmt.Sprintf("; built from %s (sha256 %.12s…, %s)", s.Tarball, s.SHA256, s.Origin)
		}
		out = append(out, line)
	}
	return out
}

// ratio formats a ratio with its interval: "1.93 [1.85, 2.01]".
func ratio(r *results.Ratio) string {
	if r == nil {
		return "-"
	}
	if r.CI == nil {
		return fmt.Sprintf("%.2f [no CI]", r.Value)
	}
	return fmt.Sprintf("%.2f [%.2f, %.2f]", r.Value, r.CI.Lo, r.CI.Hi)
}

// notes numbers the distinct reasons beside results (skipped, busy), in
// order of first appearance.
type notes struct {
	index   map[string]int
	reasons []string
}

func (n *notes) add(reason string) int {
	if n.index == nil {
		n.index = map[string]int{}
	}
	k, ok := n.index[reason]
	if !ok {
		n.reasons = append(n.reasons, reason)
		k = len(n.reasons)
		n.index[reason] = k
	}
	return k
}

// busyNote is the note of a cell measured on a busy machine.
func busyNote(r results.Result) string {
	return fmt.Sprintf("measured on a busy machine: %s (more than %.2f of a core counts as busy); check sets its busy runs aside",
		r.OtherLoad, r.OtherLoad.ThresholdCores)
}

// busyMark marks a busy cell in a table with how busy it was and a note
// shared by every busy cell.
func busyMark(r results.Result, n *notes) string {
	return fmt.Sprintf("BUSY %.2f [%d]", r.OtherLoad.OtherCores, n.add(fmt.Sprintf(
		"BUSY x: other processes used x cores during the cell's runs, more than %.2f of a core; check sets its busy runs aside",
		r.OtherLoad.ThresholdCores)))
}

// others is the "others" column: cores other processes used, flagged.
func others(r results.Result, n *notes) string {
	switch {
	case r.OtherLoad == nil:
		return "?"
	case r.Busy():
		return busyMark(r, n)
	}
	return fmt.Sprintf("%.2f", r.OtherLoad.OtherCores)
}

var columns = []string{"python", "workload", "mode", "workers", "wall median", "mean ± σ", "min … max", "cpu", "cpu/wall", "waiting", "speedup [95% CI]", "efficiency", "others"}

// waiting is the "waiting" column: the workers' share of time off the CPU
// and, for goroutines, their wait to attach.
func waiting(r results.Result) string {
	share, ok := r.Waiting()
	if !ok {
		return "-"
	}
	s := fmt.Sprintf("%.0f%%", 100*share)
	if r.Mode == results.Goroutines {
		s += fmt.Sprintf(" (attach %s)", results.Seconds(r.AttachWait()))
	}
	return s
}

// row is the text of one result's columns; a skipped cell shows a dash per
// figure and its note number.
func row(r results.Result, n *notes) []string {
	cols := []string{r.Interpreter.Name, r.Workload, string(r.Mode), strconv.Itoa(r.Workers)}
	if !r.Measured() {
		cols = append(cols, fmt.Sprintf("skipped [%d]", n.add(r.Skipped)))
		for len(cols) < len(columns) {
			cols = append(cols, "-")
		}
		return cols
	}
	w := r.WallS
	eff := "-"
	if r.Speedup != nil {
		eff = fmt.Sprintf("%.0f%%", r.Efficiency*100)
	}
	return append(cols,
		secs(w.Median),
		fmt.Sprintf("%s ± %s", secs(w.Mean), secs(w.StdDev)),
		fmt.Sprintf("%s … %s", secs(w.Min), secs(w.Max)),
		secs(r.CPUS.Median),
		fmt.Sprintf("%.2f", r.CPUUtilization),
		waiting(r),
		ratio(r.Speedup), eff, others(r, n),
	)
}

// Legend explains the columns.
const Legend = "speedup = serial wall / this wall (medians) on the same interpreter with the same total work, with the interval\n" +
	"that the 95% confidence intervals of both medians allow (benchmath; needs 6 runs or more); efficiency = speedup / workers;\n" +
	"cpu/wall 1.00 = one core busy; waiting = the workers' share of their time off the CPU (1 - thread CPU time / wall; for CPU-bound\n" +
	"work, waiting for the GIL or for a core), goroutines also their median wait to attach, timed in Go; others = cores used by other\n" +
	"processes during the runs (BUSY: too many to trust the figures)."

// Table writes an aligned text table, one line per cell, then the probes'
// tables (when there are probe results), then the notes.
func Table(w io.Writer, rs []results.Result) error { return tables(w, rs, false) }

// Markdown writes the same as GitHub-flavoured Markdown.
func Markdown(w io.Writer, rs []results.Result) error { return tables(w, rs, true) }

func tables(w io.Writer, rs []results.Result, markdown bool) error {
	header, note := "%s\n", "[%d] %s\n"
	if markdown {
		header, note = "- %s\n", "%d. %s\n"
	}
	for _, h := range Headers(rs) {
		fmt.Fprintf(w, header, h)
	}
	fmt.Fprintln(w)
	var n notes
	work, probes := results.Workloads(rs), results.Probes(rs)
	if len(work) > 0 || len(probes) == 0 {
		var rows [][]string
		for _, r := range work {
			rows = append(rows, row(r, &n))
		}
		if err := grid(w, markdown, columns, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if err := probeTables(w, probes, &n, markdown); err != nil {
		return err
	}
	for i, reason := range n.reasons {
		fmt.Fprintf(w, note, i+1, reason)
	}
	legends(w, work, probes, markdown)
	return nil
}

// legends explains the columns of the tables written.
func legends(w io.Writer, work, probes []results.Result, oneLine bool) {
	text := []string{}
	if len(work) > 0 || len(probes) == 0 {
		text = append(text, Legend)
	}
	if len(probes) > 0 {
		text = append(text, ProbeLegend(probes))
	}
	for _, t := range text {
		if oneLine {
			t = strings.ReplaceAll(t, "\n", " ")
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, t)
	}
}

// CSV writes one row per cell with raw numbers (seconds).
func CSV(w io.Writer, rs []results.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"python", "version", "free_threaded", "gil_enabled", "workload", "mode", "workers", "runs",
		"wall_median_s", "wall_mean_s", "wall_stddev_s", "wall_min_s", "wall_max_s", "cpu_median_s", "cpu_utilization",
		"speedup", "speedup_lo", "speedup_hi", "efficiency", "other_cores", "busy", "skipped", "waiting_share", "attach_wait_s"}, probeCSVColumns...))
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	for _, r := range rs {
		i := r.Interpreter
		rec := []string{i.Name, i.Version, strconv.FormatBool(i.FreeThreaded), strconv.FormatBool(i.GILEnabled), r.Workload, r.Variant(), strconv.Itoa(csvCount(r.Cell))}
		if !r.Measured() {
			rec = append(rec, "", "", "", "", "", "", "", "", "", "", "", "", "", "", r.Skipped, "", "")
			cw.Write(append(rec, probeCSV(r)...))
			continue
		}
		sp, lo, hi := "", "", ""
		if r.Speedup != nil {
			sp = f(r.Speedup.Value)
			if ci := r.Speedup.CI; ci != nil {
				lo, hi = f(ci.Lo), f(ci.Hi)
			}
		}
		other := ""
		if r.OtherLoad != nil {
			other = f(r.OtherLoad.OtherCores)
		}
		rec = append(rec, strconv.Itoa(r.Runs), f(r.WallS.Median), f(r.WallS.Mean), f(r.WallS.StdDev), f(r.WallS.Min), f(r.WallS.Max),
			f(r.CPUS.Median), f(r.CPUUtilization), sp, lo, hi, f(r.Efficiency), other, strconv.FormatBool(r.Busy()), "")
		wait, attach := "", ""
		if share, ok := r.Waiting(); ok {
			wait = f(share)
			if r.Mode == results.Goroutines {
				attach = f(r.AttachWait())
			}
		}
		rec = append(rec, wait, attach)
		cw.Write(append(rec, probeCSV(r)...))
	}
	cw.Flush()
	return cw.Error()
}

// csvCount is a cell's "workers" column: its workers, or a probe's
// CPU-bound threads (whose "mode" column says who probes).
func csvCount(c results.Cell) int {
	if c.IsProbe() {
		return c.CPUThreads
	}
	return c.Workers
}

// GoBench writes every counted run in Go benchmark format, one block per
// interpreter behind a "python: NAME" configuration line, so that
// benchstat can compare interpreters (benchstat -col /python).
func GoBench(w io.Writer, rs []results.Result) error {
	for _, name := range results.Names(rs) {
		fmt.Fprintf(w, "python: %s\n", name)
		for _, r := range rs {
			if r.Interpreter.Name != name {
				continue
			}
			if r.IsProbe() {
				probeGoBench(w, r)
				continue
			}
			bench := fmt.Sprintf("BenchmarkGIL/workload=%s/mode=%s/workers=%d", r.Workload, r.Mode, r.Workers)
			if !r.Measured() {
				fmt.Fprintf(w, "# %s skipped: %s\n", bench, r.Skipped)
				continue
			}
			if r.Busy() {
				fmt.Fprintf(w, "# %s %s\n", bench, busyNote(r))
			}
			for k, wall := range r.RawWallS {
				fmt.Fprintf(w, "%s\t1\t%d ns/op\t%.3f cpu-util\n", bench, int64(wall*1e9), r.RawCPUS[k]/wall)
			}
		}
	}
	return nil
}

// cells lists the distinct cells of rs in order of first appearance.
func cells(rs []results.Result) []results.Cell {
	var out []results.Cell
	for _, r := range rs {
		if !slices.Contains(out, r.Cell) {
			out = append(out, r.Cell)
		}
	}
	return out
}
