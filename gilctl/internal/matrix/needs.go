package matrix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// judge asks every open need of the group where it stands.
func (d *driver) judge(g *group) {
	if len(g.needs) == 0 {
		return
	}
	ix := results.Index{}
	for _, row := range g.slots {
		for _, s := range row {
			if s.skip != "" || s.counted() > 0 {
				r := d.result(s, nil)
				ix[r.Key()] = r
			}
		}
	}
	for _, ni := range g.needs {
		st := &d.needs[ni]
		if st.stop != "" {
			continue
		}
		ready := true
		for _, u := range d.opt.Needs[ni].Uses {
			if _, ok := ix[u]; !ok {
				ready = false
			}
		}
		if !ready {
			continue
		}
		j := d.opt.Needs[ni].Judge(ix)
		st.detail, st.needed = j.Detail, j.Needed
		if !d.spec.adaptive() {
			continue // fixed counts: the needs only record where they stand
		}
		st.stop = j.Stop
		if st.stop == "" && d.stuck(ni) {
			st.stop = results.StopBudget
		}
		d.noteNeed(g, ni)
	}
}

// stuck reports whether a need can get no more pairs: one of its cells is
// out of budget or cannot run.
func (d *driver) stuck(ni int) bool {
	for _, s := range d.slotsOf(ni) {
		if s.skip != "" || d.outOfBudget(s) {
			return true
		}
	}
	return false
}

func (d *driver) slotsOf(ni int) []*slot {
	var out []*slot
	for _, u := range d.opt.Needs[ni].Uses {
		for _, s := range d.all {
			if s.name == u.Interpreter && s.c == u.Cell {
				out = append(out, s)
			}
		}
	}
	return out
}

// finishNeed records a need whose group ran out of rounds.
func (d *driver) finishNeed(g *group, ni int) {
	st := &d.needs[ni]
	if st.stop == "" && d.spec.adaptive() {
		st.stop = results.StopBudget
		if st.detail == "" {
			st.detail = d.opt.Needs[ni].Label + ": not judged (a cell it needs did not run)"
			st.stop = results.StopNA
		}
	}
	d.noteNeed(g, ni)
}

func (d *driver) noteNeed(g *group, ni int) {
	st := &d.needs[ni]
	if st.stop == "" || st.noted || d.opt.Progress == nil {
		return
	}
	st.noted = true
	ss := d.slotsOf(ni)
	if len(ss) == 0 {
		return
	}
	runs := ss[0].counted()
	for _, s := range ss[1:] {
		runs = min(runs, s.counted())
	}
	d.opt.Progress.Note(ss[0].k, len(d.cells), ss[0].c, fmt.Sprintf("%s after %d runs: %s", st.stop, runs, st.detail))
}

// stopOf says why a slot's runs ended.
func (d *driver) stopOf(s *slot) *results.Stop {
	stop := &results.Stop{Rule: d.ruleText()}
	switch {
	case s.skip != "":
		return nil
	case !d.spec.adaptive():
		stop.Reason = results.StopFixed
	case len(s.needs) == 0:
		stop.Reason = results.StopMinimum
	default:
		stop.Reason = results.StopDecided
		var details []string
		for _, ni := range s.needs {
			st := d.needs[ni]
			details = append(details, st.detail)
			if rank(st.stop) > rank(stop.Reason) {
				stop.Reason = st.stop
			}
		}
		stop.Detail = strings.Join(details, "; ")
	}
	return stop
}

// rank orders stop reasons: a cell reports the one that kept it running
// the longest.
func rank(reason string) int {
	return slices.Index([]string{results.StopDecided, results.StopNA, results.StopDrift, results.StopHopeless, results.StopBudget}, reason)
}

func (d *driver) ruleText() string {
	budget := fmt.Sprintf("%d counted runs", d.spec.Runs)
	if d.spec.adaptive() {
		budget = fmt.Sprintf("%d to %d counted runs", d.spec.Runs, d.spec.MaxRuns)
		if d.spec.MaxCellS > 0 {
			budget += fmt.Sprintf(" or %s", results.Seconds(d.spec.MaxCellS))
		}
		budget += " per cell and interpreter"
	}
	if d.opt.Rule == "" {
		return budget
	}
	return d.opt.Rule + "; " + budget
}
