// Package chart draws the report's charts twice from one description: as
// SVG (for the HTML page, crisp at any size) and as PNG (for places that
// show images, drawn with the standard library and a bitmap font). No
// browser, no external renderer.
package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
)

// Series is one line of a line chart.
type Series struct {
	Label  string
	Points []Point
	Color  int // index into the palette
	Style  int // 0 solid, 1 dashed, 2 dotted
}

// dashPattern is the on and off lengths of a style in pixels (0, 0: solid).
func dashPattern(style int) (on, off float64) {
	switch style % 3 {
	case 1:
		return 10, 6
	case 2:
		return 2, 7
	}
	return 0, 0
}

// Point is one (x, y) value.
type Point struct{ X, Y float64 }

// Line is a line chart with numeric axes.
type Line struct {
	Title  string
	XLabel string
	YLabel string
	Series []Series
	// Ideal, when set, draws y = x as a dotted reference ("perfect scaling").
	Ideal bool
}

// Geometry shared by both renderers.
const (
	Width   = 960
	Height  = 480
	padL    = 70
	padR    = 260 // room for the legend
	padT    = 50
	padB    = 60
	plotW   = Width - padL - padR
	plotH   = Height - padT - padB
	legendX = Width - padR + 20
)

// palette is colour-blind-friendly (Okabe–Ito) and repeats with dashes.
var palette = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 0, 0, 255}, {240, 228, 66, 255},
}

func seriesColor(i int) color.RGBA { return palette[i%len(palette)] }

// bounds returns the axis ranges, starting at zero and rounded up to a
// tick step.
func (c Line) bounds() (xmax, ymax, xstep, ystep float64) {
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmax = math.Max(xmax, p.X)
			ymax = math.Max(ymax, p.Y)
		}
	}
	if c.Ideal {
		ymax = math.Max(ymax, xmax)
	}
	if xmax == 0 {
		xmax = 1
	}
	if ymax == 0 {
		ymax = 1
	}
	ystep = niceStep(ymax / 5)
	ymax = math.Ceil(ymax/ystep) * ystep
	xstep = niceStep(xmax / 8)
	if xmax <= 16 && xmax == math.Trunc(xmax) {
		xstep = 1 // worker counts: end the axis at the largest
	} else {
		xmax = math.Ceil(xmax/xstep) * xstep
	}
	return xmax, ymax, xstep, ystep
}

// xTicks are the x values that occur in the data (worker counts), or
// regular steps up to xmax when there are many.
func (c Line) xTicks(xmax, xstep float64) []float64 {
	seen := map[float64]bool{0: true}
	for _, s := range c.Series {
		for _, p := range s.Points {
			seen[p.X] = true
		}
	}
	var ticks []float64
	if len(seen) <= 12 {
		for x := range seen {
			ticks = append(ticks, x)
		}
		slices.Sort(ticks)
		return ticks
	}
	for x := 0.0; x <= xmax+1e-9; x += xstep {
		ticks = append(ticks, x)
	}
	return ticks
}

func niceStep(raw float64) float64 {
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*exp {
			return m * exp
		}
	}
	return 10 * exp
}

// toPixel maps data coordinates to the canvas.
func toPixel(p Point, xmax, ymax float64) (float64, float64) {
	return padL + p.X/xmax*plotW, padT + plotH - p.Y/ymax*plotH
}

func tickLabel(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// Grid is a table of coloured cells with text (the check verdicts).
type Grid struct {
	Title   string
	Columns []string
	Rows    []string
	// Cells[r][c] is the text of a cell; Colors the fill.
	Cells  [][]string
	Colors [][]color.RGBA
}

// Color is a fill colour.
type Color = color.RGBA

// Verdict colours.
var (
	Green = color.RGBA{178, 223, 138, 255}
	Red   = color.RGBA{251, 154, 153, 255}
	Grey  = color.RGBA{220, 220, 220, 255}
)

const (
	gridRowH   = 28
	gridLabelW = 250
	gridColW   = 150
)

func (g Grid) size() (int, int) {
	return gridLabelW + gridColW*len(g.Columns) + 20, padT + gridRowH*(len(g.Rows)+1) + 20
}
