package plots

import (
	"image/color"

	stdfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Verdict colours.
var (
	Green = color.RGBA{178, 223, 138, 255}
	Red   = color.RGBA{251, 154, 153, 255}
	Amber = color.RGBA{253, 205, 120, 255}
	Grey  = color.RGBA{220, 220, 220, 255}
)

// Grid is a table of coloured cells with text (check's verdicts).
type Grid struct {
	Rows, Columns []string
	// Cells[r][c] is a cell's text, Colors[r][c] its fill.
	Cells  [][]string
	Colors [][]color.Color
}

// Figure draws the grid as a one-panel figure.
func (g Grid) Figure(name, title string) Figure {
	p := plot.New()
	p.HideAxes()
	p.Add(gridPlotter{g})
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = 0, 1
	rowH := 0.4 * vg.Inch
	return Figure{Name: name, Title: title, Panels: [][]*plot.Plot{{p}},
		Width: 2.8*vg.Inch + vg.Length(len(g.Columns))*1.5*vg.Inch, Height: titleHeight + rowH*vg.Length(len(g.Rows)+1) + 0.3*vg.Inch}
}

// gridPlotter draws the grid into the plot's whole data area.
type gridPlotter struct{ g Grid }

func (gp gridPlotter) Plot(c draw.Canvas, _ *plot.Plot) {
	g := gp.g
	labelW := 2.6 * vg.Inch
	w := (c.Max.X - c.Min.X - labelW) / vg.Length(max(1, len(g.Columns)))
	h := (c.Max.Y - c.Min.Y) / vg.Length(len(g.Rows)+1)
	style := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 11), YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	bold := style
	bold.Font = font.From(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightBold}, 11)
	bold.XAlign = draw.XCenter
	top := c.Max.Y
	for j, col := range g.Columns {
		c.FillText(bold, vg.Point{X: c.Min.X + labelW + w*vg.Length(j) + w/2, Y: top - h/2}, col)
	}
	for i, row := range g.Rows {
		y := top - h*vg.Length(i+1)
		c.FillText(style, vg.Point{X: c.Min.X + 4, Y: y - h/2}, row)
		for j := range g.Columns {
			x := c.Min.X + labelW + w*vg.Length(j)
			cell := vg.Rectangle{Min: vg.Point{X: x + 1, Y: y - h + 1}, Max: vg.Point{X: x + w - 1, Y: y - 1}}
			c.SetColor(g.Colors[i][j])
			c.Fill(cell.Path())
			centred := style
			centred.XAlign = draw.XCenter
			c.FillText(centred, vg.Point{X: x + w/2, Y: y - h/2}, g.Cells[i][j])
		}
	}
}
