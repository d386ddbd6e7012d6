package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// canvas is a PNG being drawn.
type canvas struct{ img *image.RGBA }

func newCanvas(w, h int) canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	return canvas{img}
}

func (c canvas) encode() ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, c.img)
	return buf.Bytes(), err
}

func (c canvas) rect(x0, y0, x1, y1 int, col color.Color) {
	draw.Draw(c.img, image.Rect(x0, y0, x1, y1), image.NewUniform(col), image.Point{}, draw.Src)
}

// line draws a line of the given width; on > 0 draws dashes of on pixels
// with gaps of off pixels.
func (c canvas) line(x0, y0, x1, y1 float64, width float64, col color.Color, on, off float64) {
	dx, dy := x1-x0, y1-y0
	n := math.Max(math.Abs(dx), math.Abs(dy))
	if n == 0 {
		return
	}
	r := width / 2
	length := math.Hypot(dx, dy)
	for i := 0.0; i <= n; i++ {
		t := i / n
		if on > 0 && math.Mod(t*length, on+off) > on {
			continue
		}
		x, y := x0+dx*t, y0+dy*t
		c.rect(int(x-r), int(y-r), int(math.Ceil(x+r)), int(math.Ceil(y+r)), col)
	}
}

func (c canvas) dot(x, y, r float64, col color.Color) {
	for yy := -r; yy <= r; yy++ {
		for xx := -r; xx <= r; xx++ {
			if xx*xx+yy*yy <= r*r {
				c.img.Set(int(x+xx), int(y+yy), col)
			}
		}
	}
}

// text draws s with the 7x13 bitmap font; align is 0 left, 1 centre, 2 right.
func (c canvas) text(x, y int, s string, align int, col color.Color) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, s).Round()
	x -= align * w / 2
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// PNG renders the chart as a PNG image.
func (c Line) PNG() ([]byte, error) {
	cv := newCanvas(Width, Height)
	black, grid := color.RGBA{40, 40, 40, 255}, color.RGBA{221, 221, 221, 255}
	xmax, ymax, xstep, ystep := c.bounds()
	cv.text(padL, 20, c.Title, 0, black)
	for y := 0.0; y <= ymax+1e-9; y += ystep {
		_, py := toPixel(Point{0, y}, xmax, ymax)
		cv.line(padL, py, padL+plotW, py, 1, grid, 0, 0)
		cv.text(padL-8, int(py)+4, tickLabel(y), 2, black)
	}
	for _, x := range c.xTicks(xmax, xstep) {
		px, _ := toPixel(Point{x, 0}, xmax, ymax)
		cv.text(int(px), padT+plotH+18, tickLabel(x), 1, black)
	}
	cv.line(padL, padT, padL+plotW, padT, 1, black, 0, 0)
	cv.line(padL, padT+plotH, padL+plotW, padT+plotH, 1, black, 0, 0)
	cv.line(padL, padT, padL, padT+plotH, 1, black, 0, 0)
	cv.line(padL+plotW, padT, padL+plotW, padT+plotH, 1, black, 0, 0)
	cv.text(padL+plotW/2, Height-15, c.XLabel, 1, black)
	cv.text(8, padT-8, c.YLabel, 0, black)
	if c.Ideal {
		x0, y0 := toPixel(Point{0, 0}, xmax, ymax)
		x1, y1 := toPixel(Point{xmax, xmax}, xmax, ymax)
		cv.line(x0, y0, x1, y1, 1, color.RGBA{150, 150, 150, 255}, 3, 3)
	}
	for i, s := range c.Series {
		col := seriesColor(s.Color)
		on, off := dashPattern(s.Style)
		for k := 1; k < len(s.Points); k++ {
			ax, ay := toPixel(s.Points[k-1], xmax, ymax)
			bx, by := toPixel(s.Points[k], xmax, ymax)
			cv.line(ax, ay, bx, by, 2.5, col, on, off)
		}
		for _, p := range s.Points {
			x, y := toPixel(p, xmax, ymax)
			cv.dot(x, y, 4, col)
		}
		ly := float64(padT + 10 + i*20)
		cv.line(legendX, ly, legendX+28, ly, 2.5, col, on, off)
		cv.text(legendX+36, int(ly)+4, s.Label, 0, black)
	}
	return cv.encode()
}

// PNG renders the grid as a PNG image.
func (g Grid) PNG() ([]byte, error) {
	w, h := g.size()
	cv := newCanvas(w, h)
	black := color.RGBA{40, 40, 40, 255}
	cv.text(10, 30, g.Title, 0, black)
	for c, col := range g.Columns {
		cv.text(gridLabelW+c*gridColW+gridColW/2, padT+18, col, 1, black)
	}
	for r, row := range g.Rows {
		y := padT + gridRowH*(r+1)
		cv.text(10, y+18, row, 0, black)
		for c := range g.Columns {
			x := gridLabelW + c*gridColW
			cv.rect(x+1, y+1, x+gridColW-1, y+gridRowH-1, g.Colors[r][c])
			cv.text(x+gridColW/2, y+18, g.Cells[r][c], 1, black)
		}
	}
	return cv.encode()
}
