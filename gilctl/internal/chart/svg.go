package chart

import (
	"fmt"
	"html"
	"image/color"
	"strings"
)

func rgb(c color.RGBA) string { return fmt.Sprintf("rgb(%d,%d,%d)", c.R, c.G, c.B) }

// SVG renders the chart as a standalone SVG document.
func (c Line) SVG() string {
	var b strings.Builder
	xmax, ymax, xstep, ystep := c.bounds()
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n", Width, Height, Width, Height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", Width, Height)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="17" font-weight="bold">%s</text>`+"\n", padL, html.EscapeString(c.Title))
	for y := 0.0; y <= ymax+1e-9; y += ystep {
		_, py := toPixel(Point{0, y}, xmax, ymax)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", padL, py, padL+plotW, py)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", padL-8, py+4, tickLabel(y))
	}
	for _, x := range c.xTicks(xmax, xstep) {
		px, _ := toPixel(Point{x, 0}, xmax, ymax)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", px, padT+plotH+18, tickLabel(x))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>`+"\n", padL, padT, plotW, plotH)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", padL+plotW/2, Height-15, html.EscapeString(c.XLabel))
	fmt.Fprintf(&b, `<text transform="translate(18,%d) rotate(-90)" text-anchor="middle">%s</text>`+"\n", padT+plotH/2, html.EscapeString(c.YLabel))
	if c.Ideal {
		x0, y0 := toPixel(Point{0, 0}, xmax, ymax)
		x1, y1 := toPixel(Point{xmax, xmax}, xmax, ymax)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999" stroke-dasharray="2,4"/>`+"\n", x0, y0, x1, y1)
	}
	for i, s := range c.Series {
		col := rgb(seriesColor(s.Color))
		dash := ""
		if on, off := dashPattern(s.Style); on > 0 {
			dash = fmt.Sprintf(` stroke-dasharray="%.0f,%.0f"`, on, off)
		}
		var pts []string
		for _, p := range s.Points {
			x, y := toPixel(p, xmax, ymax)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`+"\n", strings.Join(pts, " "), col, dash)
		for _, p := range s.Points {
			x, y := toPixel(p, xmax, ymax)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`+"\n", x, y, col)
		}
		ly := padT + 10 + i*20
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2.5"%s/>`+"\n", legendX, ly, legendX+28, ly, col, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", legendX+36, ly+4, html.EscapeString(s.Label))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// SVG renders the grid as a standalone SVG document.
func (g Grid) SVG() string {
	var b strings.Builder
	w, h := g.size()
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	fmt.Fprintf(&b, `<text x="10" y="28" font-size="17" font-weight="bold">%s</text>`+"\n", html.EscapeString(g.Title))
	for c, col := range g.Columns {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s</text>`+"\n", gridLabelW+c*gridColW+gridColW/2, padT+18, html.EscapeString(col))
	}
	for r, row := range g.Rows {
		y := padT + gridRowH*(r+1)
		fmt.Fprintf(&b, `<text x="10" y="%d">%s</text>`+"\n", y+18, html.EscapeString(row))
		for c := range g.Columns {
			x := gridLabelW + c*gridColW
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="white" stroke-width="2"/>`+"\n", x, y, gridColW, gridRowH, rgb(g.Colors[r][c]))
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", x+gridColW/2, y+18, html.EscapeString(g.Cells[r][c]))
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
