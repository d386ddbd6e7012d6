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

func (lineProgress) Running(matrix.Tick) {}

func (p lineProgress) Done(k, cells int, c results.Cell, rs []results.Result) {
	fmt.Fprintln(p.w, cellLine(k, cells, c, rs))
}

func (p lineProgress) Note(k, cells int, c results.Cell, msg string) {
	fmt.Fprintf(p.w, "[%d/%d] %s: %s\n", k, cells, c, msg)
}

// cellLine sums up a finished cell, with how many runs each interpreter
// took and why it stopped: "[3/8] countdown threads x2: 3.12 0.123 s (5
// runs, decided), 3.13t 0.070 s (3 runs, decided; BUSY: other processes
// used 0.93 ± 0.05 cores)".
func cellLine(k, cells int, c results.Cell, rs []results.Result) string {
	var parts []string
	for _, r := range rs {
		if r.Skipped != "" {
			parts = append(parts, fmt.Sprintf("%s skipped (%s)", r.Interpreter.Name, r.Skipped))
			continue
		}
		how := fmt.Sprintf("%d run%s", r.Runs, plural(r.Runs))
		if r.Stop != nil && r.Stop.Reason != results.StopFixed {
			how += ", " + r.Stop.Reason
		}
		if r.Busy() {
			how += "; BUSY: " + r.OtherLoad.String()
		}
		parts = append(parts, fmt.Sprintf("%s %.3f s (%s)", r.Interpreter.Name, r.WallS.Median, how))
	}
	return fmt.Sprintf("[%d/%d] %s: %s", k, cells, c, strings.Join(parts, ", "))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// tickLine describes the run about to start: "[3/40] countdown threads x2
// on 3.13t: run 4 of at most 20, ~2m10s left".
func tickLine(t matrix.Tick) string {
	run := "warm-up"
	if t.Run > 0 {
		run = fmt.Sprintf("run %d", t.Run)
		if t.Max > t.Run {
			run += fmt.Sprintf(" of at most %d", t.Max)
		}
	}
	return fmt.Sprintf("[%d/%d] %s on %s: %s, ~%s left", t.K, t.Cells, t.Cell, t.Runner, run, t.Left.Round(time.Second))
}

// barProgress is a live bar counting runs, with the finished cells'
// lines printed above it.
type barProgress struct {
	w    io.Writer
	bar  *progressbar.ProgressBar
	done int // cells finished: cells of a group finish together, not in order
}

// The bar counts runs against the adaptive plan (it grows when a ratio
// needs more pairs, shrinks when one is decided early); the time left in
// its description is the driver's estimate from the runs' own times, not
// the bar's count-based guess.
func newBarProgress(w io.Writer) *barProgress {
	return &barProgress{w: w, bar: progressbar.NewOptions(1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

func (p *barProgress) Running(t matrix.Tick) {
	if p.bar.GetMax() != t.Planned {
		p.bar.ChangeMax(t.Planned)
	}
	p.bar.Describe(tickLine(t))
	_ = p.bar.Set(t.Done)
}

func (p *barProgress) Done(k, cells int, c results.Cell, rs []results.Result) {
	p.above(cellLine(k, cells, c, rs))
	if p.done++; p.done == cells {
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
