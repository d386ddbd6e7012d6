package report

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/chart"
	"github.com/gilkit/gilkit/gilctl/internal/check"
)

// SpeedupChart plots speedup against workers for one workload: a line per
// interpreter and mode (serial is the baseline, so it is left out), with
// perfect scaling dotted.
func SpeedupChart(results []bench.Result, workload string) chart.Line {
	return lineChart(results, workload, "speedup against serial", true, func(r bench.Result) (float64, bool) {
		if r.Mode == "serial" || r.Speedup == nil {
			return 0, false
		}
		return r.Speedup.Value, true
	})
}

// CPUChart plots CPU utilisation (CPU time / wall time) against workers.
func CPUChart(results []bench.Result, workload string) chart.Line {
	return lineChart(results, workload, "CPU time / wall time (cores busy)", false, func(r bench.Result) (float64, bool) {
		return r.CPUUtilization, r.WallS != nil
	})
}

// lineChart draws one line per interpreter and mode: the colour says the
// mode, the line style the interpreter.
func lineChart(results []bench.Result, workload, ylabel string, ideal bool, value func(bench.Result) (float64, bool)) chart.Line {
	c := chart.Line{Title: workload + ": " + ylabel, XLabel: "workers", YLabel: ylabel, Ideal: ideal}
	index := map[string]int{}
	var interps []string
	for _, r := range results {
		if !slices.Contains(interps, r.Interpreter.Name) {
			interps = append(interps, r.Interpreter.Name)
		}
	}
	for _, r := range results {
		if r.Workload != workload || r.Skipped != "" {
			continue
		}
		y, ok := value(r)
		if !ok {
			continue
		}
		label := r.Interpreter.Name + " " + r.Mode
		i, seen := index[label]
		if !seen {
			i = len(c.Series)
			index[label] = i
			c.Series = append(c.Series, chart.Series{Label: label,
				Color: slices.Index(bench.Modes, r.Mode), Style: slices.Index(interps, r.Interpreter.Name)})
		}
		c.Series[i].Points = append(c.Series[i].Points, chart.Point{X: float64(r.Workers), Y: y})
	}
	return c
}

// VerdictGrid shows every claim's verdict per interpreter.
func VerdictGrid(rep check.Report) chart.Grid {
	g := chart.Grid{Title: "The article's claims, checked"}
	for _, c := range rep.Claims {
		for n := range c.Verdicts {
			if !slices.Contains(g.Columns, n) {
				g.Columns = append(g.Columns, n)
			}
		}
	}
	slices.Sort(g.Columns)
	for _, c := range rep.Claims {
		g.Rows = append(g.Rows, c.ID)
		var cells []string
		var colors []chart.Color
		for _, n := range g.Columns {
			v := c.Verdicts[n].Verdict
			cells = append(cells, v)
			switch v {
			case check.Holds:
				colors = append(colors, chart.Green)
			case check.DoesNotHold:
				colors = append(colors, chart.Red)
			default:
				colors = append(colors, chart.Grey)
			}
		}
		g.Cells = append(g.Cells, cells)
		g.Colors = append(g.Colors, colors)
	}
	return g
}

// WriteSite writes the report into dir: report.html (self-contained, the
// charts inline as SVG), each chart as .svg and .png, and the raw results
// and verdicts as JSON. It returns the HTML file's path.
func WriteSite(dir string, results []bench.Result, verdicts *check.Report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	var body strings.Builder
	body.WriteString("<h1>gilkit: what the GIL really does</h1>\n<ul>\n")
	for _, h := range headers(results) {
		fmt.Fprintf(&body, "<li>%s</li>\n", html.EscapeString(h))
	}
	body.WriteString("</ul>\n")

	if verdicts != nil {
		g := VerdictGrid(*verdicts)
		if err := writeChart(dir, "verdicts", g.SVG(), g.PNG); err != nil {
			return "", err
		}
		body.WriteString("<h2>The article's claims</h2>\n" + g.SVG())
		body.WriteString("<table><tr><th>claim</th><th>overall</th><th>interpreter</th><th>verdict</th><th>evidence</th></tr>\n")
		for _, c := range verdicts.Claims {
			for i, n := range c.Names() {
				v := c.Verdicts[n]
				claim, overall := "", ""
				if i == 0 {
					claim = "<b>" + html.EscapeString(c.ID) + "</b><br>" + html.EscapeString(c.Claim)
					overall = html.EscapeString(c.Overall)
				}
				fmt.Fprintf(&body, "<tr><td>%s</td><td>%s</td><td>%s</td><td class=%q>%s</td><td>%s</td></tr>\n",
					claim, overall, html.EscapeString(n), strings.ReplaceAll(v.Verdict, " ", "-"), html.EscapeString(v.Verdict), html.EscapeString(v.Evidence))
			}
		}
		body.WriteString("</table>\n")
		fmt.Fprintf(&body, "<p>Thresholds: no speedup &le; %.2fx; parallel &ge; %.2fx with 2 workers; a slowdown counts above %.0f%%.</p>\n",
			check.NoSpeedupMax, check.ParallelMin, check.SlowdownMinPct)
	}

	var workloads []string
	for _, r := range results {
		if r.Skipped == "" && !slices.Contains(workloads, r.Workload) {
			workloads = append(workloads, r.Workload)
		}
	}
	for _, w := range workloads {
		fmt.Fprintf(&body, "<h2>%s</h2>\n", html.EscapeString(w))
		for _, c := range []struct {
			name string
			ch   chart.Line
		}{{"speedup-" + w, SpeedupChart(results, w)}, {"cpu-" + w, CPUChart(results, w)}} {
			if len(c.ch.Series) == 0 {
				continue
			}
			if err := writeChart(dir, c.name, c.ch.SVG(), c.ch.PNG); err != nil {
				return "", err
			}
			body.WriteString(c.ch.SVG())
		}
	}

	var table bytes.Buffer
	if err := SideBySide(&table, results); err != nil {
		return "", err
	}
	body.WriteString("<h2>All figures</h2>\n<pre>" + html.EscapeString(table.String()) + "</pre>\n")
	body.WriteString(`<p>Raw runs: <a href="results.json">results.json</a>` + "\n")

	var raw bytes.Buffer
	if err := JSON(&raw, results); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), raw.Bytes(), 0o644); err != nil {
		return "", err
	}
	page := "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>gilkit report</title>\n<style>" + css + "</style></head>\n<body>\n" + body.String() + "</body></html>\n"
	path := filepath.Join(dir, "report.html")
	return path, os.WriteFile(path, []byte(page), 0o644)
}

const css = `body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:14px}
td.holds{background:#b2df8a}td.does-not-hold{background:#fb9a99}td.n\/a{background:#ddd}
svg{display:block;margin:1em 0;max-width:100%;height:auto}pre{font-size:12px;overflow-x:auto}`

func writeChart(dir, name, svg string, png func() ([]byte, error)) error {
	if err := os.WriteFile(filepath.Join(dir, name+".svg"), []byte(svg), 0o644); err != nil {
		return err
	}
	data, err := png()
	if err != nil {
		return fmt.Errorf("drawing %s.png: %w", name, err)
	}
	return os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644)
}
