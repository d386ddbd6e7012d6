package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/plots"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

//go:embed site.html.tmpl
var siteTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"class": func(verdict string) string { return strings.ReplaceAll(strings.ReplaceAll(verdict, " ", "-"), "/", "") },
}).Parse(siteTemplate))

// Page is what the HTML template shows.
type Page struct {
	// Gilkits are the gilkits that measured the results ("not recorded"
	// for results saved before they said), Writer the one writing the
	// report.
	Gilkits      []string
	Writer       version.Info
	Machines     []machine.Machine
	Interpreters []results.Interpreter
	Claims       []ClaimRow
	Thresholds   string
	VerdictChart *Chart
	Busy         *BusySummary
	Sections     []Section
	Table        string
}

// BusySummary says how many cells were measured on a busy machine, and
// which.
type BusySummary struct {
	Count, Measured int
	MaxCores        float64
	Cells           []string
}

// ClaimRow is one line of the verdict table.
type ClaimRow struct {
	First       bool // the claim's first line: show its id, text and overall verdict
	Rows        int  // how many lines the claim has
	ID, Claim   string
	Overall     string
	Interpreter string
	check.Verdict
}

// Section is a part of the report with its charts.
type Section struct {
	ID, Title string
	Intro     string
	Charts    []Chart
}

// Chart is a figure inline as SVG, with its files.
type Chart struct {
	Name string
	SVG  template.HTML // produced by gonum/plot, not by users: trusted
}

// SectionFunc makes report sections from results; new kinds of result add
// theirs to Sections.
type SectionFunc func(rs []results.Result) ([]Section, []plots.Figure, error)

// Sections make the report's body, in order.
var Sections = []SectionFunc{WorkloadSections, ProbeSections}

// WorkloadSections is a section per workload: speedup and CPU use against
// workers, a panel per mode, a line per interpreter.
func WorkloadSections(rs []results.Result) ([]Section, []plots.Figure, error) {
	cores := 0
	for _, r := range rs {
		cores = max(cores, r.Machine.Cores)
	}
	// A speedup is against serial: every other mode has one.
	parallel := variants(slices.DeleteFunc(results.Modes(), func(m results.Mode) bool { return m == results.Serial }))
	var sections []Section
	var figs []plots.Figure
	for _, w := range workloads(rs) {
		s := Section{ID: w, Title: w}
		for _, spec := range []struct {
			name, title, ylabel string
			value               plots.Value
			busy                func(results.Result) bool
			panels              []string
			ideal, ceiling      bool
		}{
			{"speedup-" + w, w + ": speedup against serial (same total work)", "speedup", plots.SpeedupValue, results.Result.SpeedupBusy, parallel, true, false},
			{"cpu-" + w, w + ": CPU time / wall time (cores busy)", "cores busy", plots.CPUValue, results.Result.Busy, variants(results.Modes()), false, true},
		} {
			f, ok, err := plots.SmallMultiples(rs, w, spec.value, plots.Options{Name: spec.name, Title: spec.title, YLabel: spec.ylabel,
				Panels: spec.panels, Ideal: spec.ideal, Ceiling: spec.ceiling, Cores: cores, Busy: spec.busy})
			if err != nil {
				return nil, nil, err
			}
			if ok {
				figs = append(figs, f)
				s.Charts = append(s.Charts, Chart{Name: f.Name})
			}
		}
		if len(s.Charts) > 0 {
			sections = append(sections, s)
		}
	}
	return sections, figs, nil
}

// variants are modes or probers as the charts' panels name them.
func variants[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func workloads(rs []results.Result) []string {
	var out []string
	for _, r := range rs {
		if r.Measured() && !r.IsProbe() && !slices.Contains(out, r.Workload) {
			out = append(out, r.Workload)
		}
	}
	return out
}

// VerdictGrid shows every claim's verdict per interpreter.
func VerdictGrid(rep check.Report) plots.Grid {
	var g plots.Grid
	for _, c := range rep.Claims {
		for _, n := range c.Names() {
			if !slices.Contains(g.Columns, n) {
				g.Columns = append(g.Columns, n)
			}
		}
	}
	slices.Sort(g.Columns)
	for _, c := range rep.Claims {
		g.Rows = append(g.Rows, c.ID)
		var cells []string
		var colors []color.Color
		for _, n := range g.Columns {
			v := c.Verdicts[n].Verdict
			cells = append(cells, v)
			colors = append(colors, verdictColor(v))
		}
		g.Cells = append(g.Cells, cells)
		g.Colors = append(g.Colors, colors)
	}
	return g
}

func verdictColor(v string) color.Color {
	switch v {
	case check.Holds:
		return plots.Green
	case check.DoesNotHold:
		return plots.Red
	case check.Inconclusive:
		return plots.Amber
	}
	return plots.Grey
}

// BuildPage lays out the report and returns it with the figures to write.
func BuildPage(rs []results.Result, verdicts *check.Report) (Page, []plots.Figure, error) {
	is, ms := results.Interpreters(rs)
	p := Page{Interpreters: is, Writer: version.Current()}
	for _, r := range rs {
		g := "not recorded"
		if r.Gilkit != nil {
			g = r.Gilkit.String()
		}
		if !slices.Contains(p.Gilkits, g) {
			p.Gilkits = append(p.Gilkits, g)
		}
	}
	for _, m := range ms {
		if !slices.Contains(p.Machines, m) {
			p.Machines = append(p.Machines, m)
		}
	}
	var figs []plots.Figure
	if verdicts != nil {
		p.Thresholds = check.Thresholds()
		for _, c := range verdicts.Claims {
			for k, n := range c.Names() {
				p.Claims = append(p.Claims, ClaimRow{First: k == 0, Rows: len(c.Verdicts), ID: c.ID, Claim: c.Claim, Overall: c.Overall, Interpreter: n, Verdict: c.Verdicts[n]})
			}
		}
		f := VerdictGrid(*verdicts).Figure("verdicts", "The article's claims, checked")
		figs = append(figs, f)
		p.VerdictChart = &Chart{Name: f.Name}
	}
	busy := BusySummary{}
	for _, r := range rs {
		if r.Measured() {
			busy.Measured++
		}
		if r.Busy() {
			busy.Count++
			busy.MaxCores = max(busy.MaxCores, r.OtherLoad.OtherCores)
			busy.Cells = append(busy.Cells, fmt.Sprintf("%s on %s: %s", r.Cell, r.Interpreter.Name, busyNote(r)))
		}
	}
	if busy.Count > 0 {
		p.Busy = &busy
	}
	for _, make := range Sections {
		s, f, err := make(rs)
		if err != nil {
			return Page{}, nil, err
		}
		p.Sections = append(p.Sections, s...)
		figs = append(figs, f...)
	}
	var table bytes.Buffer
	if err := SideBySide(&table, rs); err != nil {
		return Page{}, nil, err
	}
	p.Table = table.String()
	return p, figs, nil
}

// Render writes the page's HTML; svg gives each chart's inline SVG.
func (p Page) Render(svg map[string][]byte) ([]byte, error) {
	inline := func(c *Chart) {
		s := string(svg[c.Name])
		if i := strings.Index(s, "<svg"); i >= 0 {
			s = s[i:] // drop the XML declaration: the SVG sits inside HTML
		}
		c.SVG = template.HTML(s)
	}
	if p.VerdictChart != nil {
		inline(p.VerdictChart)
	}
	for i := range p.Sections {
		for j := range p.Sections[i].Charts {
			inline(&p.Sections[i].Charts[j])
		}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("rendering the report: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteSite writes the report into dir: report.html (self-contained, the
// charts inline as SVG), each chart as .svg and .png, and the raw results
// as results.json. It returns the HTML file's path.
func WriteSite(dir string, rs []results.Result, verdicts *check.Report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the report folder: %w", err)
	}
	p, figs, err := BuildPage(rs, verdicts)
	if err != nil {
		return "", err
	}
	svgs := map[string][]byte{}
	for _, f := range figs {
		svg, err := f.SVG()
		if err != nil {
			return "", err
		}
		png, err := f.PNG()
		if err != nil {
			return "", err
		}
		svgs[f.Name] = svg
		for ext, data := range map[string][]byte{".svg": svg, ".png": png} {
			if err := os.WriteFile(filepath.Join(dir, f.Name+ext), data, 0o644); err != nil {
				return "", err
			}
		}
	}
	html, err := p.Render(svgs)
	if err != nil {
		return "", err
	}
	if err := results.WriteFile(filepath.Join(dir, "results.json"), rs); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "report.html")
	return path, os.WriteFile(path, html, 0o644)
}
