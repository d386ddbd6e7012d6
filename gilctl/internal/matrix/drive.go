package matrix

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Options tune Drive beyond the Spec.
type Options struct {
	// BusyCores is the share of a core other processes may use during a
	// cell before it is flagged busy (0: results.DefaultBusyCores).
	BusyCores float64
	// RetryBusy re-runs a busy cell that no need uses up to this many
	// more times, keeping the least busy attempt of each runner. (Cells
	// that needs use are re-run by the needs themselves: a need sets
	// disturbed pairs aside and asks for more.)
	RetryBusy int
	// RetryPause is the wait before a re-run (a passing neighbour may be
	// done by then).
	RetryPause time.Duration
	// Needs are the statistics to decide: their cells run together, pair
	// by pair, until each need stops or the cells' budget is spent.
	Needs []Need
	// Rule names the rule the needs judge by, recorded in every result's
	// Stop.
	Rule string
	// Progress is told what is happening; nil for silence.
	Progress Progress
}

// Progress is told about a matrix being driven.
type Progress interface {
	// Running is called before each run.
	Running(t Tick)
	// Done is called when a cell is finished on every runner.
	Done(k, cells int, c results.Cell, rs []results.Result)
	// Note tells the user something about a cell: a need that stopped, a
	// re-run and why.
	Note(k, cells int, c results.Cell, msg string)
}

// Tick is the state of the drive before a run.
type Tick struct {
	// Done runs so far, of Planned in all (warm-up included): the plan
	// follows the needs, growing when a ratio needs more pairs and
	// shrinking when one is decided early.
	Done, Planned int
	// Elapsed since the drive started; Left is the estimate of the time
	// the planned runs still take, from the times of the runs so far.
	Elapsed, Left time.Duration
	// K is the cell's number among Cells, in the spec's order.
	K, Cells int
	Cell     results.Cell
	Runner   string
	// Run is the counted run this will be (0: a warm-up run), of at most
	// Max.
	Run, Max int
}

// Drive runs every cell of spec on every runner and returns the results,
// cell by cell (runners in the order given), speedups and other ratios
// filled.
//
// Cells that a need uses run together as a group, round by round: each
// round runs each of them once on each runner, rotating both who goes
// first and which cell does, so that drift on a noisy machine hits all
// alike and a need pairs runs that ran one right after the other (each
// sample records its round). Every cell gets the warm-up and spec.Runs
// counted runs; after that a cell runs on while some need using it has
// not stopped and its budget (spec.MaxRuns, spec.MaxCellS) lasts. When a
// runner breaks, Drive returns what it measured so far and the error.
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
	d := newDriver(runners, spec, opt)
	var out []results.Result
	for _, g := range d.groups {
		rs, err := d.group(g)
		out = append(out, rs...)
		if err != nil {
			results.AddRatios(out)
			return out, err
		}
	}
	results.AddRatios(out)
	return out, nil
}

// slot is one runner's share of one cell.
type slot struct {
	runner  int
	name    string
	c       results.Cell
	k       int // the cell's number, from 1
	needs   []int
	skip    string
	warm    int
	samples []results.Sample
	countS  float64 // wall time of the counted runs
	spentS  float64 // wall time of all runs, warm-up included
	runs    int     // all runs, warm-up included
	asked   bool    // Unavailable was asked
	// attempts is how often a busy slot was measured (0: once).
	attempts int
}

func (s *slot) counted() int { return len(s.samples) }

// group is cells measured together, with the needs they serve.
type group struct {
	cells []results.Cell
	ks    []int
	slots [][]*slot // per cell, per runner
	needs []int
}

// needState is where a need stands.
type needState struct {
	stop, detail string
	needed       int
	noted        bool
}

type driver struct {
	runners []Runner
	names   []string
	spec    Spec
	opt     Options
	cells   []results.Cell
	groups  []*group
	needs   []needState
	all     []*slot
	start   time.Time
	done    int
	rounds  int // rounds run, over all groups: round ids are unique
}

func newDriver(runners []Runner, spec Spec, opt Options) *driver {
	d := &driver{runners: runners, spec: spec, opt: opt, cells: spec.Cells(), needs: make([]needState, len(opt.Needs)), start: time.Now()}
	for _, r := range runners {
		interp, _ := r.Identity()
		d.names = append(d.names, interp.Name)
	}
	index := map[results.Cell]int{}
	for k, c := range d.cells {
		index[c] = k
	}
	// Union-find over cells: a need joins the cells it uses.
	parent := make([]int, len(d.cells))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	usedBy := map[results.Key][]int{}
	for ni, n := range opt.Needs {
		first := -1
		for _, u := range n.Uses {
			usedBy[u] = append(usedBy[u], ni)
			k, ok := index[u.Cell]
			if !ok {
				continue
			}
			if first < 0 {
				first = k
			} else if a, b := find(first), find(k); a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	byRoot := map[int]*group{}
	for k, c := range d.cells {
		root := find(k)
		g := byRoot[root]
		if g == nil {
			g = &group{}
			byRoot[root] = g
			d.groups = append(d.groups, g)
		}
		g.cells = append(g.cells, c)
		g.ks = append(g.ks, k+1)
		row := make([]*slot, len(runners))
		for i, name := range d.names {
			s := &slot{runner: i, name: name, c: c, k: k + 1, needs: usedBy[results.Key{Interpreter: name, Cell: c}]}
			for _, ni := range s.needs {
				if !slices.Contains(g.needs, ni) {
					g.needs = append(g.needs, ni)
				}
			}
			row[i] = s
			d.all = append(d.all, s)
		}
		g.slots = append(g.slots, row)
	}
	return d
}

// group measures one group and returns its results, cell by cell.
func (d *driver) group(g *group) ([]results.Result, error) {
	for _, row := range g.slots {
		for _, s := range row {
			if err := d.ask(s); err != nil {
				return nil, err
			}
		}
	}
	if err := d.measure(g, g.slots); err != nil {
		return nil, err
	}
	d.judge(g) // also the needs whose cells could not run at all
	for _, ni := range g.needs {
		d.finishNeed(g, ni)
	}
	if err := d.retryBusy(g); err != nil {
		return nil, err
	}
	var out []results.Result
	for ci, row := range g.slots {
		rs := make([]results.Result, len(row))
		for i, s := range row {
			rs[i] = d.result(s, d.stopOf(s))
		}
		if d.opt.Progress != nil {
			d.opt.Progress.Done(g.ks[ci], len(d.cells), g.cells[ci], rs)
		}
		out = append(out, rs...)
	}
	return out, nil
}

// ask asks a slot's runner whether it can run the cell at all.
func (d *driver) ask(s *slot) error {
	if s.asked {
		return nil
	}
	s.asked = true
	reason, err := d.runners[s.runner].Unavailable(s.c)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", s.name, s.c, err)
	}
	s.skip = reason
	return nil
}

// measure runs rounds over the slots until none wants a run.
func (d *driver) measure(g *group, slots [][]*slot) error {
	for r := 0; ; r++ {
		round := d.rounds + 1
		d.rounds++
		ran := false
		for j := range slots {
			row := slots[(j+r)%len(slots)] // rotate which cell goes first
			for i := range row {
				s := row[(i+r)%len(row)] // and who
				if !d.wants(s) {
					continue
				}
				ran = true
				if err := d.run(s, round); err != nil {
					return err
				}
			}
		}
		if !ran {
			d.rounds-- // nothing ran: the id is free again
			return nil
		}
		d.judge(g)
	}
}

// wants reports whether a slot needs a run in the next round.
func (d *driver) wants(s *slot) bool {
	switch {
	case s.skip != "":
		return false
	case s.warm < d.spec.warmup(s.c):
		return true
	case s.counted() < d.spec.Runs:
		return true
	case !d.spec.adaptive() || d.outOfBudget(s):
		return false
	}
	for _, ni := range s.needs {
		if d.needs[ni].stop == "" {
			return true
		}
	}
	return false
}

func (d *driver) outOfBudget(s *slot) bool {
	return s.counted() >= d.spec.MaxRuns || (d.spec.MaxCellS > 0 && s.countS >= d.spec.MaxCellS)
}

// run runs a slot once; a failed run ends the slot (its reason says why),
// a broken runner ends the drive.
func (d *driver) run(s *slot, round int) error {
	run := 0
	if s.warm >= d.spec.warmup(s.c) {
		run = s.counted() + 1
	}
	if d.opt.Progress != nil {
		planned, left := d.plan(s)
		d.opt.Progress.Running(Tick{Done: d.done, Planned: planned, Elapsed: time.Since(d.start), Left: left,
			K: s.k, Cells: len(d.cells), Cell: s.c, Runner: s.name, Run: run, Max: d.maxRuns(s)})
	}
	t0 := time.Now()
	sample, err := d.runners[s.runner].RunOnce(s.c)
	took := time.Since(t0).Seconds()
	d.done++
	s.runs++
	s.spentS += took
	switch {
	case errors.Is(err, ErrBroken) || errors.Is(err, ErrClosed):
		return fmt.Errorf("%s: %s: %w", s.name, s.c, err)
	case err != nil:
		s.skip = "failed: " + err.Error()
	case run == 0:
		s.warm++
	default:
		sample.Round = round
		s.samples = append(s.samples, sample)
		s.countS += sample.WallS
	}
	return nil
}

// maxRuns is the most counted runs a slot may get.
func (d *driver) maxRuns(s *slot) int {
	if len(s.needs) == 0 || !d.spec.adaptive() {
		return d.spec.Runs
	}
	return d.spec.MaxRuns
}

// result summarizes a slot.
func (d *driver) result(s *slot, stop *results.Stop) results.Result {
	interp, m := d.runners[s.runner].Identity()
	if s.skip != "" {
		return results.Skip(interp, m, s.c, d.spec.Params, s.skip)
	}
	r := results.NewResult(interp, m, s.c, d.spec.Params, s.samples, d.opt.BusyCores)
	r.Stop = stop
	if s.attempts > 0 && r.OtherLoad != nil {
		r.OtherLoad.Attempts = s.attempts
	}
	return r
}

func (d *driver) note(s *slot, msg string) {
	if d.opt.Progress != nil {
		d.opt.Progress.Note(s.k, len(d.cells), s.c, msg)
	}
}
