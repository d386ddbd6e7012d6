package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// retryPause is the wait before a busy cell is measured again.
var retryPause = 2 * time.Second

// newProgress shows progress on w: a live bar with the current cell and an
// estimate of the time left when w is a terminal, plain lines otherwise
// (a log, a pipe, make's output).
func newProgress(w io.Writer) matrix.Progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return newBarProgress(f)
	}
	return lineProgress{w}
}

// lineProgress prints a line per finished cell and per note.
type lineProgress struct{ w io.Writer }

func (lineProgress) Running(done, total, k, cells int, c results.Cell, runner string) {}

func (p lineProgress) Done(k, cells int, c results.Cell, rs []results.Result) {
	fmt.Fprintln(p.w, cellLine(k, cells, c, rs))
}

func (p lineProgress) Note(k, cells int, c results.Cell, msg string) {
	fmt.Fprintf(p.w, "[%d/%d] %s: %s\n", k, cells, c, msg)
}

// cellLine sums up a finished cell: "[3/8] countdown threads x2: 3.12
// 0.123 s, 3.13t 0.070 s (BUSY: other processes used 0.93 ± 0.05 cores)".
func cellLine(k, cells int, c results.Cell, rs []results.Result) string {
	var parts []string
	for _, r := range rs {
		switch {
		case r.Skipped != "":
			parts = append(parts, fmt.Sprintf("%s skipped (%s)", r.Interpreter.Name, r.Skipped))
		case r.Busy():
			parts = append(parts, fmt.Sprintf("%s %.3f s (BUSY: %s)", r.Interpreter.Name, r.WallS.Median, r.OtherLoad))
		default:
			parts = append(parts, fmt.Sprintf("%s %.3f s", r.Interpreter.Name, r.WallS.Median))
		}
	}
	return fmt.Sprintf("[%d/%d] %s: %s", k, cells, c, strings.Join(parts, ", "))
}

// barProgress is a live bar counting runs, with the finished cells'
// lines printed above it.
type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func newBarProgress(w io.Writer) *barProgress {
	return &barProgress{w: w, bar: progressbar.NewOptions(1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

func (p *barProgress) Running(done, total, k, cells int, c results.Cell, runner string) {
	if p.bar.GetMax() != total {
		p.bar.ChangeMax(total)
	}
	p.bar.Describe(fmt.Sprintf("[%d/%d] %s on %s", k, cells, c, runner))
	_ = p.bar.Set(done)
}

func (p *barProgress) Done(k, cells int, c results.Cell, rs []results.Result) {
	p.above(cellLine(k, cells, c, rs))
	if k == cells {
		_ = p.bar.Finish()
	}
}

func (p *barProgress) Note(k, cells int, c results.Cell, msg string) {
	p.above(fmt.Sprintf("[%d/%d] %s: %s", k, cells, c, msg))
}

// above prints a line above the bar.
func (p *barProgress) above(line string) {
	_ = p.bar.Clear()
	fmt.Fprintln(p.w, line)
	_ = p.bar.RenderBlank()
}
