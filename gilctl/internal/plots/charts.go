package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// palette is colour-blind-friendly (Okabe–Ito); each interpreter keeps its
// colour, dash and marker in every chart.
var palette = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 0, 0, 255},
}

var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}

var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{}, draw.CrossGlyph{}, draw.RingGlyph{}}

// Style is how one interpreter is drawn.
type Style struct {
	Color color.RGBA
	Dash  []vg.Length
	Glyph draw.GlyphDrawer
}

// StyleOf returns the style of the i-th interpreter.
func StyleOf(i int) Style {
	return Style{Color: palette[i%len(palette)], Dash: dashes[i%len(dashes)], Glyph: glyphs[i%len(glyphs)]}
}

// point is one value with its interval (absolute bounds).
type point struct{ x, y, lo, hi float64 }

type series []point

func (s series) Len() int                    { return len(s) }
func (s series) XY(i int) (float64, float64) { return s[i].x, s[i].y }
func (s series) YError(i int) (float64, float64) {
	return s[i].y - s[i].lo, s[i].hi - s[i].y
}

// Value picks what a chart shows of a result: y, and its interval when
// there is one (lo == hi == y otherwise).
type Value func(r results.Result) (y, lo, hi float64, ok bool)

// SpeedupValue is a result's speedup against serial, with its interval.
func SpeedupValue(r results.Result) (float64, float64, float64, bool) {
	if r.Speedup == nil || r.Mode == results.Serial {
		return 0, 0, 0, false
	}
	y := r.Speedup.Value
	if ci := r.Speedup.CI; ci != nil {
		return y, ci.Lo, ci.Hi, true
	}
	return y, y, y, true
}

// CPUValue is a result's CPU time / wall time (cores busy), with the
// interval of the median of the per-run ratios.
func CPUValue(r results.Result) (float64, float64, float64, bool) {
	if !r.Measured() || len(r.RawWallS) != len(r.RawCPUS) {
		return 0, 0, 0, false
	}
	var per []float64
	for i, w := range r.RawWallS {
		if w > 0 {
			per = append(per, r.RawCPUS[i]/w)
		}
	}
	s := results.Summarize(per)
	if s.CI != nil {
		return r.CPUUtilization, math.Min(s.CI.Lo, r.CPUUtilization), math.Max(s.CI.Hi, r.CPUUtilization), true
	}
	return r.CPUUtilization, r.CPUUtilization, r.CPUUtilization, true
}

// Options of a small-multiples chart.
type Options struct {
	Name, Title, YLabel string
	// Panels are the variants to draw (results.Cell.Variant: modes, or
	// who probes), one panel each, in this order (those without data are
	// left out).
	Panels []string
	// Ideal draws y = workers ("perfect scaling") up to Cores.
	Ideal bool
	// Ceiling draws a dashed line at y = Cores (all cores busy).
	Ceiling bool
	// Cores is the machine's core count.
	Cores int
	// Busy says whether a point rests on a busy measurement (default:
	// the cell's own flag).
	Busy func(results.Result) bool

	// X places a result on the x axis (default: its workers), labelled
	// XLabel (default "workers") with XTicks (default: every worker
	// count); LogX and LogY make an axis logarithmic.
	X          func(results.Result) float64
	XLabel     string
	XTicks     []plot.Tick
	LogX, LogY bool
	// YSeconds labels the y axis as durations ("5ms", "100µs").
	YSeconds bool
	// Lines are reference lines: horizontal at Y, or the diagonal y = x
	// when Diagonal is set.
	Lines []Line
}

// Line is a reference line with its legend entry.
type Line struct {
	Label    string
	Y        float64
	Diagonal bool
}

// SmallMultiples draws one panel per variant (mode, or who probes) for one
// workload, a line per interpreter (x: workers, y: value, with its
// interval as error bars). It returns false when there is nothing to draw.
func SmallMultiples(rs []results.Result, workload string, value Value, o Options) (Figure, bool, error) {
	names := results.Names(rs)
	if o.Busy == nil {
		o.Busy = results.Result.Busy
	}
	if o.X == nil {
		o.X = func(r results.Result) float64 { return float64(r.Workers) }
	}
	if o.XLabel == "" {
		o.XLabel = "workers"
	}
	type key struct{ mode, interp string }
	data := map[key]series{}
	busy := map[key]plotter.XYs{}
	points, busyPoints := 0, 0
	var modes []string
	maxWorkers := 1
	minX, maxX, minY := math.Inf(1), math.Inf(-1), math.Inf(1)
	for _, r := range rs {
		if r.Workload != workload || !r.Measured() {
			continue
		}
		y, lo, hi, ok := value(r)
		if !ok || math.IsNaN(y) || math.IsInf(y, 0) || (o.LogY && y <= 0) {
			continue
		}
		if o.LogY && lo <= 0 {
			lo = y // no bar below the axis of a log scale
		}
		x := o.X(r)
		k := key{r.Variant(), r.Interpreter.Name}
		data[k] = append(data[k], point{x, y, lo, hi})
		points++
		if o.Busy(r) {
			busy[k] = append(busy[k], plotter.XY{X: x, Y: y})
			busyPoints++
		}
		if !slices.Contains(modes, r.Variant()) {
			modes = append(modes, r.Variant())
		}
		maxWorkers = max(maxWorkers, int(math.Ceil(x)))
		minX, maxX, minY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, lo)
	}
	var panels []*plot.Plot
	for _, mode := range o.Panels {
		if !slices.Contains(modes, mode) {
			continue
		}
		p := plot.New()
		topY := 0.0
		p.Title.Text = mode
		p.X.Label.Text = o.XLabel
		p.Y.Label.Text = o.YLabel
		p.X.Min, p.Y.Min = 0, 0
		p.X.Max = float64(maxWorkers) + 0.3
		p.X.Tick.Marker = workerTicks(maxWorkers)
		if o.XTicks != nil {
			p.X.Tick.Marker = plot.ConstantTicks(o.XTicks)
		}
		if o.LogX {
			p.X.Scale = plot.LogScale{}
			p.X.Min, p.X.Max = minX/1.6, maxX*1.6
		}
		if o.LogY {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
			p.Y.Min = minY / 2
		}
		if o.YSeconds {
			p.Y.Tick.Marker = secondsTicks{p.Y.Tick.Marker}
		}
		p.Add(plotter.NewGrid())
		p.Legend.Top, p.Legend.Left = true, true
		p.Legend.TextStyle.Font.Size = vg.Points(10)
		if err := addReferences(p, o); err != nil {
			return Figure{}, false, err
		}
		topY = p.Y.Max // the reference lines, so that the legend clears them too
		for i, n := range names {
			s := data[key{mode, n}]
			if len(s) == 0 {
				continue
			}
			slices.SortFunc(s, func(a, b point) int { return cmp.Compare(a.x, b.x) })
			if err := addSeries(p, n, s, StyleOf(i)); err != nil {
				return Figure{}, false, err
			}
			topY = math.Max(topY, maxY(s))
		}
		if err := markBusy(p, mode, names, func(n string) plotter.XYs { return busy[key{mode, n}] }); err != nil {
			return Figure{}, false, err
		}
		// Headroom above the highest value keeps the legend off the data.
		// The axis follows the values, not the intervals: one wild interval
		// would flatten every line, so its bar runs off the top (no cap).
		lines := float64(len(names) + len(o.Lines) + 3)
		if o.LogY {
			// The same share of the height, in decades.
			decades := math.Log10(topY / p.Y.Min)
			p.Y.Max = topY * math.Pow(10, decades*0.09*lines)
		} else {
			p.Y.Max = topY * (1 + 0.12*lines)
		}
		panels = append(panels, p)
	}
	if len(panels) == 0 {
		return Figure{}, false, nil
	}
	cols := min(2, len(panels))
	var grid [][]*plot.Plot
	for i := 0; i < len(panels); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, panels[i:min(i+cols, len(panels))])
		grid = append(grid, row)
	}
	title := o.Title
	if busyPoints > 0 {
		title += fmt.Sprintf("\n%d of %d points measured on a busy machine (marked x): not to be trusted", busyPoints, points)
	}
	return Figure{Name: o.Name, Title: title, Panels: grid, Width: 10 * vg.Inch, Height: titleHeight + lineHeight*vg.Length(strings.Count(title, "\n")) + vg.Length(len(grid))*3.4*vg.Inch}, true, nil
}

func maxY(s series) float64 {
	m := 0.0
	for _, p := range s {
		m = math.Max(m, p.y)
	}
	return m
}

// markBusy draws a red cross over every point measured on a busy machine.
func markBusy(p *plot.Plot, mode string, names []string, busy func(string) plotter.XYs) error {
	var all plotter.XYs
	for _, n := range names {
		all = append(all, busy(n)...)
	}
	if len(all) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(all)
	if err != nil {
		return fmt.Errorf("%s: %w", mode, err)
	}
	sc.Color, sc.Shape, sc.Radius = color.RGBA{200, 0, 0, 255}, draw.CrossGlyph{}, vg.Points(6)
	p.Add(sc)
	p.Legend.Add("busy machine", sc)
	return nil
}

// workerTicks labels the x axis at every worker count up to n.
func workerTicks(n int) plot.ConstantTicks {
	var ticks []plot.Tick
	for i := 0; i <= n; i++ {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: fmt.Sprint(i)})
	}
	return ticks
}

func addReferences(p *plot.Plot, o Options) error {
	for _, l := range o.Lines {
		xys := plotter.XYs{{X: p.X.Min, Y: l.Y}, {X: p.X.Max, Y: l.Y}}
		if l.Diagonal {
			xys = plotter.XYs{{X: p.X.Min, Y: p.X.Min}, {X: p.X.Max, Y: p.X.Max}}
		}
		if err := reference(p, xys, l.Label); err != nil {
			return err
		}
	}
	if o.Cores <= 0 {
		return nil
	}
	cores := float64(o.Cores)
	if o.Ideal {
		if err := reference(p, plotter.XYs{{X: 1, Y: 1}, {X: cores, Y: cores}}, fmt.Sprintf("perfect scaling of CPU work (%d cores)", o.Cores)); err != nil {
			return err
		}
	}
	if o.Ceiling {
		return reference(p, plotter.XYs{{X: 0, Y: cores}, {X: p.X.Max, Y: cores}}, fmt.Sprintf("all %d cores busy", o.Cores))
	}
	return nil
}

// reference draws a dotted grey reference line with a legend entry.
func reference(p *plot.Plot, xys plotter.XYs, label string) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color, l.Dashes, l.Width = color.RGBA{140, 140, 140, 255}, []vg.Length{vg.Points(2), vg.Points(3)}, vg.Points(1.2)
	p.Add(l)
	p.Legend.Add(label, l)
	for _, xy := range xys {
		p.Y.Max = math.Max(p.Y.Max, xy.Y)
	}
	return nil
}

func addSeries(p *plot.Plot, name string, s series, st Style) error {
	line, pts, err := plotter.NewLinePoints(s)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	line.Color, line.Dashes, line.Width = st.Color, st.Dash, vg.Points(2)
	pts.Color, pts.Shape, pts.Radius = st.Color, st.Glyph, vg.Points(3.5)
	bars, err := plotter.NewYErrorBars(s)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	bars.Color, bars.Width, bars.CapWidth = st.Color, vg.Points(1.2), vg.Points(7)
	p.Add(bars, line, pts)
	p.Legend.Add(name, line, pts)
	return nil
}

// secondsTicks labels another ticker's ticks as durations.
type secondsTicks struct{ plot.Ticker }

func (t secondsTicks) Ticks(min, max float64) []plot.Tick {
	ticks := t.Ticker.Ticks(min, max)
	for i := range ticks {
		switch v := ticks[i].Value; {
		case ticks[i].Label == "":
		case v >= 1:
			ticks[i].Label = strconv.FormatFloat(v, 'g', 4, 64) + "s" // 100s, not 1m40s
		default:
			ticks[i].Label = results.Seconds(v)
		}
	}
	return ticks
}
