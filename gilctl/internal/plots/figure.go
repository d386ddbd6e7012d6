// Package plots draws the report's charts with gonum.org/v1/plot: each
// chart is described once (a Figure: a grid of plots, small multiples) and
// rendered to SVG for the HTML page and to PNG for everything else.
package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

func init() {
	// A sans-serif face reads better at chart sizes than gonum's default
	// serif; SVG viewers fall back to their own sans-serif.
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
}

// Figure is one chart: a title over a grid of plots.
type Figure struct {
	// Name is the file name without extension ("speedup-countdown").
	Name  string
	Title string
	// Panels are the plots, row by row; a nil entry leaves its tile empty.
	Panels [][]*plot.Plot
	// Width and Height of the whole figure.
	Width, Height vg.Length
}

// titleHeight is the band above the panels that holds the title.
const titleHeight = 0.45 * vg.Inch

// lineHeight is the height of one more title line.
const lineHeight = 0.25 * vg.Inch

// SVG renders the figure as an SVG document (fonts not embedded).
func (f Figure) SVG() ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	c := vgsvg.New(f.Width, f.Height)
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("%s.svg: %w", f.Name, err)
	}
	return buf.Bytes(), nil
}

// PNG renders the figure as a PNG image at 96 dots per inch.
func (f Figure) PNG() ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))}
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("%s.png: %w", f.Name, err)
	}
	return buf.Bytes(), nil
}

func (f Figure) check() error {
	switch {
	case len(f.Panels) == 0 || len(f.Panels[0]) == 0:
		return fmt.Errorf("%s: nothing to draw", f.Name)
	case f.Width <= 0 || f.Height <= 0:
		return fmt.Errorf("%s: no size", f.Name)
	}
	return nil
}

func (f Figure) draw(dc draw.Canvas) (err error) {
	defer func() {
		// plot.Align panics on a ragged grid; say which figure it was.
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing %s: %v", f.Name, r)
		}
	}()
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	style := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 15), XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
	top := vg.Point{X: dc.Min.X + dc.Size().X/2, Y: dc.Max.Y - 0.1*vg.Inch}
	lines := strings.Split(f.Title, "\n")
	for i, line := range lines {
		if i > 0 {
			style.Font.Size = 11
			style.Color = color.RGBA{170, 0, 0, 255}
		}
		dc.FillText(style, vg.Point{X: top.X, Y: top.Y - lineHeight*vg.Length(i)}, line)
	}
	body := draw.Crop(dc, 0, 0, 0, -titleHeight-lineHeight*vg.Length(len(lines)-1))
	rows, cols := len(f.Panels), len(f.Panels[0])
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Inch / 4, PadY: vg.Inch / 4, PadLeft: vg.Inch / 8, PadRight: vg.Inch / 4, PadBottom: vg.Inch / 8}
	grid := make([][]*plot.Plot, rows)
	for i, row := range f.Panels {
		grid[i] = make([]*plot.Plot, cols)
		copy(grid[i], row)
	}
	canvases := plot.Align(fill(grid), tiles, body)
	for i, row := range f.Panels {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	return nil
}

// fill puts an empty plot in every nil tile, since Align needs them all.
func fill(grid [][]*plot.Plot) [][]*plot.Plot {
	for i := range grid {
		for j := range grid[i] {
			if grid[i][j] == nil {
				p := plot.New()
				p.HideAxes()
				grid[i][j] = p
			}
		}
	}
	return grid
}
