package matrix

import (
	"errors"
	"fmt"
	"time"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Options tune Drive beyond the Spec.
type Options struct {
	// BusyCores is the share of a core other processes may use during a
	// cell before it is flagged busy (0: results.DefaultBusyCores).
	BusyCores float64
	// RetryBusy re-runs a busy cell up to this many more times, keeping
	// the least busy attempt of each runner.
	RetryBusy int
	// RetryPause is the wait before a re-run (a passing neighbour may be
	// done by then).
	RetryPause time.Duration
	// Progress is told what is happening; nil for silence.
	Progress Progress
}

// Progress is told about a matrix being driven. Total and done count runs
// (warm-up included) over all runners; re-runs of busy cells add to total.
type Progress interface {
	// Running is called before each run.
	Running(done, total int, k, cells int, c results.Cell, runner string)
	// Done is called when a cell is finished on every runner.
	Done(k, cells int, c results.Cell, rs []results.Result)
	// Note tells the user something about a cell (a re-run and why).
	Note(k, cells int, c results.Cell, msg string)
}

// Drive runs every cell of spec on every runner and returns the results,
// cell by cell (runners in the order given), speedups and other ratios filled. For each
// cell it runs the warm-up and counted runs on all runners in turn,
// rotating who goes first, so that drift on a noisy machine hits all
// alike. When a runner breaks, Drive returns what it measured so far and
// the error.
func Drive(runners []Runner, spec Spec, opt Options) ([]results.Result, error) {
	if len(runners) == 0 {
		return nil, errors.New("nothing to run on: no runners")
	}
	if spec.Runs < 1 || spec.Warmup < 0 {
		return nil, fmt.Errorf("runs must be at least 1 and warm-up at least 0 (got %d and %d)", spec.Runs, spec.Warmup)
	}
	if opt.BusyCores <= 0 {
		opt.BusyCores = results.DefaultBusyCores
	}
	d := &driver{runners: runners, spec: spec, opt: opt, cells: spec.Cells()}
	for _, c := range d.cells {
		d.total += len(runners) * spec.rounds(c)
	}
	var out []results.Result
	for k, c := range d.cells {
		rs, err := d.cell(k+1, c)
		if err != nil {
			results.AddRatios(out)
			return out, err
		}
		if opt.Progress != nil {
			opt.Progress.Done(k+1, len(d.cells), c, rs)
		}
		out = append(out, rs...)
	}
	results.AddRatios(out)
	return out, nil
}

type driver struct {
	runners     []Runner
	spec        Spec
	opt         Options
	cells       []results.Cell
	done, total int
}

// cell measures one cell on every runner, re-running busy ones as asked.
func (d *driver) cell(k int, c results.Cell) ([]results.Result, error) {
	all := make([]int, len(d.runners))
	for i := range all {
		all[i] = i
	}
	best, err := d.attempt(k, c, all)
	if err != nil {
		return nil, err
	}
	for attempt := 2; attempt <= 1+d.opt.RetryBusy; attempt++ {
		var busy []int
		for i, r := range best {
			if r.Busy() {
				busy = append(busy, i)
			}
		}
		if len(busy) == 0 {
			break
		}
		d.note(k, c, fmt.Sprintf("measured on a busy machine (%s); measuring again in %v, attempt %d of %d",
			best[busy[0]].OtherLoad, d.opt.RetryPause, attempt, 1+d.opt.RetryBusy))
		time.Sleep(d.opt.RetryPause)
		d.total += len(busy) * d.spec.rounds(c)
		again, err := d.attempt(k, c, busy)
		if err != nil {
			return nil, err
		}
		for _, i := range busy {
			attempts := best[i].OtherLoad.Attempts + 1
			if r := again[i]; r.OtherLoad != nil && r.OtherLoad.OtherCores < best[i].OtherLoad.OtherCores {
				best[i] = r
			}
			best[i].OtherLoad.Attempts = attempts
		}
	}
	return best, nil
}

// attempt measures cell c on the runners numbered in which, interleaved;
// the returned slice has an entry for every runner (zero for the others).
func (d *driver) attempt(k int, c results.Cell, which []int) ([]results.Result, error) {
	out := make([]results.Result, len(d.runners))
	skipped := map[int]string{}
	for _, i := range which {
		reason, err := d.runners[i].Unavailable(c)
		if err != nil {
			interp, _ := d.runners[i].Identity()
			return nil, fmt.Errorf("%s: %s: %w", interp.Name, c, err)
		}
		if reason != "" {
			skipped[i] = reason
		}
	}
	samples := make([][]results.Sample, len(d.runners))
	warmup := d.spec.warmup(c)
	for round := range d.spec.rounds(c) {
		for j := range which {
			i := which[(j+round)%len(which)] // rotate who goes first
			if skipped[i] != "" {
				d.done++
				continue
			}
			interp, _ := d.runners[i].Identity()
			if d.opt.Progress != nil {
				d.opt.Progress.Running(d.done, d.total, k, len(d.cells), c, interp.Name)
			}
			s, err := d.runners[i].RunOnce(c)
			d.done++
			switch {
			case errors.Is(err, ErrBroken) || errors.Is(err, ErrClosed):
				return nil, fmt.Errorf("%s: %s: %w", interp.Name, c, err)
			case err != nil:
				skipped[i] = "failed: " + err.Error()
			case round >= warmup:
				samples[i] = append(samples[i], s)
			}
		}
	}
	for _, i := range which {
		interp, m := d.runners[i].Identity()
		if reason := skipped[i]; reason != "" {
			out[i] = results.Skip(interp, m, c, d.spec.Params, reason)
			continue
		}
		out[i] = results.NewResult(interp, m, c, d.spec.Params, samples[i], d.opt.BusyCores)
	}
	return out, nil
}

func (d *driver) note(k int, c results.Cell, msg string) {
	if d.opt.Progress != nil {
		d.opt.Progress.Note(k, len(d.cells), c, msg)
	}
}
