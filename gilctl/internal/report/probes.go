package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// ProbeLegend explains the probe tables.
func ProbeLegend(rs []results.Result) string {
	delay := "?"
	for _, r := range rs {
		if r.Workload == results.ProbeIO && r.Params.ProbeIODelayS > 0 {
			delay = results.Seconds(r.Params.ProbeIODelayS)
		}
	}
	return "latency = from asking to run Python to running it, while N CPU-bound Python threads run: goroutine = a goroutine calling an empty\n" +
		"Python function through embed (wait to attach + call), timed in Go; thread = how much longer than asked a Python thread's short\n" +
		"time.sleep took (the wait to get the GIL back, plus ~0.1 ms of the OS's timer slack). Percentiles over every sample of the counted\n" +
		"runs, [95% CI] of the p99 from order statistics (needs a few hundred samples). io = round trips per second of a Python thread with\n" +
		"a loopback echo server (in Go, outside the GIL) answering after " + delay + "; % of idle = against the same probe with 0 CPU threads."
}

// latencyText is a percentile in words: "5.12ms".
func latencyText(s float64) string { return results.Seconds(s) }

func ciText(ci *results.Interval) string {
	if ci == nil {
		return "[no CI]"
	}
	return fmt.Sprintf("[%s, %s]", latencyText(ci.Lo), latencyText(ci.Hi))
}

// rate formats round trips per second: "4,120".
func rate(x float64) string {
	s := strconv.FormatFloat(x, 'f', 0, 64)
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return string(out)
}

func percent(r *results.Ratio) string {
	if r == nil {
		return "-"
	}
	if r.CI == nil {
		return fmt.Sprintf("%.1f%% [no CI]", 100*r.Value)
	}
	return fmt.Sprintf("%.1f%% [%.1f, %.1f]", 100*r.Value, 100*r.CI.Lo, 100*r.CI.Hi)
}

var latencyColumns = []string{"python", "probe", "cpu threads", "switch", "samples", "p50", "p90", "p99 [95% CI]", "max", "others"}

func latencyRow(r results.Result, n *notes) []string {
	cols := []string{r.Interpreter.Name, string(r.Prober), strconv.Itoa(r.CPUThreads), results.Seconds(r.SwitchIntervalS)}
	if !r.Measured() || r.Latency == nil {
		cols = append(cols, fmt.Sprintf("skipped [%d]", n.add(r.Skipped)))
		for len(cols) < len(latencyColumns) {
			cols = append(cols, "-")
		}
		return cols
	}
	l := r.Latency
	return append(cols, strconv.Itoa(l.N), latencyText(l.P50S), latencyText(l.P90S),
		latencyText(l.P99S)+" "+ciText(l.P99CI), latencyText(l.MaxS), others(r, n))
}

var ioColumns = []string{"python", "cpu threads", "switch", "round trips/s [95% CI]", "% of idle [95% CI]", "others"}

func ioRow(r results.Result, n *notes) []string {
	cols := []string{r.Interpreter.Name, strconv.Itoa(r.CPUThreads), results.Seconds(r.SwitchIntervalS)}
	if !r.Measured() || r.RoundTripsPerS == nil {
		cols = append(cols, fmt.Sprintf("skipped [%d]", n.add(r.Skipped)), "-", "-")
		return cols
	}
	s := r.RoundTripsPerS
	rt := rate(s.Median) + " [no CI]"
	if s.CI != nil {
		rt = fmt.Sprintf("%s [%s, %s]", rate(s.Median), rate(s.CI.Lo), rate(s.CI.Hi))
	}
	idle := percent(r.OfIdle)
	if r.CPUThreads == 0 {
		idle = "(idle)"
	} else if r.BaselineBusy {
		idle += " (idle run busy)"
	}
	return append(cols, rt, idle, others(r, n))
}

// grid writes a header and rows as aligned text or as a Markdown table.
func grid(w io.Writer, markdown bool, header []string, rows [][]string) error {
	if markdown {
		fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(header, " | "), strings.Repeat("---|", len(header)))
		for _, r := range rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// probeTables writes the latency and the I/O table of the probe results
// in rs (one line per interpreter and cell).
func probeTables(w io.Writer, rs []results.Result, n *notes, markdown bool) error {
	var lat, iot [][]string
	for _, r := range rs {
		switch r.Workload {
		case results.ProbeLatency:
			lat = append(lat, latencyRow(r, n))
		case results.ProbeIO:
			iot = append(iot, ioRow(r, n))
		}
	}
	title := func(s string) {
		if markdown {
			fmt.Fprintf(w, "**%s**\n\n", s)
		} else {
			fmt.Fprintln(w, s)
		}
	}
	if len(lat) > 0 {
		title("GIL probe: latency to run Python while CPU-bound threads run")
		if err := grid(w, markdown, latencyColumns, lat); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if len(iot) > 0 {
		title("GIL probe: I/O round trips while CPU-bound threads run")
		if err := grid(w, markdown, ioColumns, iot); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

// probeSideBySide writes the probe cells with a column per interpreter:
// "p50 / p99" for latencies, then "round trips/s (% of idle)" for I/O.
func probeSideBySide(w io.Writer, rs []results.Result, n *notes) error {
	names := results.Names(rs)
	ix := results.NewIndex(rs)
	for k, workload := range []string{results.ProbeLatency, results.ProbeIO} {
		var rows [][]string
		for _, c := range cells(rs) {
			if c.Workload != workload {
				continue
			}
			row := []string{c.String()}
			for _, name := range names {
				row = append(row, probeCell(ix, name, c, n))
			}
			rows = append(rows, row)
		}
		if len(rows) == 0 {
			continue
		}
		head := []string{"GIL probe"}
		for _, name := range names {
			head = append(head, name+[]string{" p50 / p99", " round trips/s (% of idle)"}[k])
		}
		if k > 0 {
			fmt.Fprintln(w)
		}
		if err := grid(w, false, head, rows); err != nil {
			return err
		}
	}
	return nil
}

// probeCell is one interpreter's figure for a probe cell.
func probeCell(ix results.Index, name string, c results.Cell, n *notes) string {
	r, ok := ix.Get(name, c)
	var cell string
	switch {
	case !ok:
		return "-"
	case !r.Measured():
		return fmt.Sprintf("skipped [%d]", n.add(r.Skipped))
	case r.Latency != nil:
		cell = fmt.Sprintf("%s / %s", latencyText(r.Latency.P50S), latencyText(r.Latency.P99S))
	case r.RoundTripsPerS != nil:
		cell = rate(r.RoundTripsPerS.Median) + "/s"
		if r.OfIdle != nil {
			cell += fmt.Sprintf(" (%.1f%%)", 100*r.OfIdle.Value)
		}
	default:
		return "-"
	}
	if r.Busy() {
		cell += " " + busyMark(r, n)
	}
	return cell
}

// probeCSV are the CSV columns of probe results, appended to every row
// (empty for workloads).
var probeCSVColumns = []string{"switch_interval_s", "samples", "p50_s", "p90_s", "p99_s", "p99_lo_s", "p99_hi_s", "max_s", "roundtrips_per_s", "percent_of_idle"}

func probeCSV(r results.Result) []string {
	out := make([]string, len(probeCSVColumns))
	if !r.IsProbe() || !r.Measured() {
		return out
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	out[0] = f(r.SwitchIntervalS)
	if l := r.Latency; l != nil {
		out[1], out[2], out[3], out[4], out[7] = strconv.Itoa(l.N), f(l.P50S), f(l.P90S), f(l.P99S), f(l.MaxS)
		if l.P99CI != nil {
			out[5], out[6] = f(l.P99CI.Lo), f(l.P99CI.Hi)
		}
	}
	if s := r.RoundTripsPerS; s != nil {
		out[8] = f(s.Median)
	}
	if r.OfIdle != nil {
		out[9] = f(100 * r.OfIdle.Value)
	}
	return out
}

// probeGoBench writes a probe result's runs in Go benchmark format: per
// run, the latency percentiles (p50-ns, p99-ns) or the round trips
// (ns/op per round trip, roundtrips/s).
func probeGoBench(w io.Writer, r results.Result) {
	name := fmt.Sprintf("BenchmarkProbe/probe=%s-%s/cpu=%d/switch=%s", strings.TrimPrefix(r.Workload, "probe-"), r.Prober, r.CPUThreads, results.Seconds(r.SwitchIntervalS))
	if r.Workload == results.ProbeIO {
		name = fmt.Sprintf("BenchmarkProbe/probe=io/cpu=%d/switch=%s", r.CPUThreads, results.Seconds(r.SwitchIntervalS))
	}
	if !r.Measured() {
		fmt.Fprintf(w, "# %s skipped: %s\n", name, r.Skipped)
		return
	}
	if r.Busy() {
		fmt.Fprintf(w, "# %s %s\n", name, busyNote(r))
	}
	for _, x := range r.RawRoundTripsPerS {
		if x > 0 {
			fmt.Fprintf(w, "%s\t1\t%d ns/op\t%.0f roundtrips/s\n", name, int64(1e9/x), x)
		}
	}
	start := 0
	for _, k := range r.RawLatencyRuns {
		run := slices.Clone(r.RawLatenciesS[start : start+k])
		start += k
		if len(run) == 0 {
			continue
		}
		slices.Sort(run)
		p50, _ := results.Quantile(run, 0.5)
		p99, _ := results.Quantile(run, 0.99)
		fmt.Fprintf(w, "%s\t%d\t%d p50-ns\t%d p99-ns\t%d max-ns\n", name, len(run), int64(p50*1e9), int64(p99*1e9), int64(run[len(run)-1]*1e9))
	}
}
