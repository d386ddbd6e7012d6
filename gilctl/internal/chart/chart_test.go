package chart

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sample() Line {
	return Line{Title: "countdown: speedup", XLabel: "workers", YLabel: "speedup", Ideal: true, Series: []Series{
		{Label: "3.12 threads", Points: []Point{{1, 1}, {2, 0.98}, {4, 0.97}}},
		{Label: "3.13t threads", Points: []Point{{1, 1}, {2, 1.9}, {4, 1.95}}, Style: 1, Color: 1},
	}}
}

func TestLineSVG(t *testing.T) {
	svg := sample().SVG()
	assert.True(t, strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg"`))
	assert.Equal(t, 2, strings.Count(svg, "<polyline"), "one line per series")
	assert.Contains(t, svg, "3.13t threads")
	assert.Contains(t, svg, `stroke-dasharray="10,6"`, "the second series is dashed")
	assert.Contains(t, svg, `stroke-dasharray="2,4"`, "perfect scaling is dotted")
	for _, tick := range []string{">1<", ">2<", ">4<"} {
		assert.Contains(t, svg, tick, "x ticks at the worker counts")
	}
	xTickY := fmt.Sprintf(`y="%d" text-anchor="middle"`, padT+plotH+18)
	assert.Equal(t, 4, strings.Count(svg, xTickY), "x ticks at 0, 1, 2 and 4 only")
}

func TestLinePNG(t *testing.T) {
	data, err := sample().PNG()
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, Width, img.Bounds().Dx())
	assert.Equal(t, Height, img.Bounds().Dy())
	// The first series' colour appears in the plot area.
	want := seriesColor(0)
	found := false
	for y := padT; y < padT+plotH && !found; y++ {
		for x := padL; x < padL+plotW; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B {
				found = true
				break
			}
		}
	}
	assert.True(t, found, "series drawn")
}

func TestBoundsAndSteps(t *testing.T) {
	xmax, ymax, xstep, ystep := sample().bounds()
	assert.Equal(t, 4.0, xmax)
	assert.Equal(t, 4.0, ymax, "ideal line reaches the largest worker count")
	assert.Equal(t, 1.0, xstep)
	assert.Equal(t, 1.0, ystep)
	assert.Equal(t, 0.25, niceStep(0.21))
	assert.Equal(t, 50.0, niceStep(41))
}

func TestGrid(t *testing.T) {
	g := Grid{Title: "claims", Columns: []string{"3.12", "3.13t"}, Rows: []string{"a", "b"},
		Cells:  [][]string{{"holds", "does not hold"}, {"n/a", "holds"}},
		Colors: [][]Color{{Green, Red}, {Grey, Green}}}
	svg := g.SVG()
	assert.Equal(t, 4, strings.Count(svg, `stroke="white"`), "one rect per cell")
	assert.Contains(t, svg, "does not hold")
	data, err := g.PNG()
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	w, h := g.size()
	assert.Equal(t, w, img.Bounds().Dx())
	assert.Equal(t, h, img.Bounds().Dy())
}
