package matrix

import "time"

// plan estimates how many runs the drive takes in all (warm-up included)
// and how long the runs still to come take. A cell that a need uses is
// expected to run as many times as the need's own estimate says, or as
// long as finished needs took on average; a run is expected to take as
// long as the cell's runs so far, else the same cell's on other runners,
// else the same workload's, else any run's.
func (d *driver) plan(next *slot) (planned int, left time.Duration) {
	typical := d.typicalRuns()
	perRun := d.runTimes()
	for _, s := range d.all {
		want := d.expectedRuns(s, typical)
		if s == next {
			want = max(want, s.runs+1) // it is about to run
		}
		planned += max(want, s.runs)
		if rest := want - s.runs; rest > 0 {
			left += time.Duration(float64(rest) * perRun(s) * float64(time.Second))
		}
	}
	return planned, left
}

// typicalRuns is the mean number of counted runs the slots with needs took
// once all their needs stopped (a guess before any has).
func (d *driver) typicalRuns() int {
	total, n := 0, 0
	for _, s := range d.all {
		if len(s.needs) == 0 || s.skip != "" || s.counted() == 0 || d.open(s) {
			continue
		}
		total += s.counted()
		n++
	}
	if n == 0 {
		return min(d.spec.Runs+2, max(d.spec.MaxRuns, d.spec.Runs))
	}
	return (total + n - 1) / n
}

// open reports whether some need of the slot has not stopped.
func (d *driver) open(s *slot) bool {
	for _, ni := range s.needs {
		if d.needs[ni].stop == "" {
			return true
		}
	}
	return false
}

// expectedRuns is how many runs in all a slot is expected to take.
func (d *driver) expectedRuns(s *slot, typical int) int {
	warm := d.spec.warmup(s.c)
	base := warm + d.spec.Runs
	switch {
	case s.skip != "":
		return s.runs
	case !d.spec.adaptive() || len(s.needs) == 0 || !d.open(s):
		return max(base, s.runs)
	}
	guess := 0
	for _, ni := range s.needs {
		if st := d.needs[ni]; st.stop == "" {
			g := typical
			if st.needed > 0 {
				g = st.needed
			}
			guess = max(guess, g)
		}
	}
	return max(warm+min(max(guess, d.spec.Runs), d.spec.MaxRuns), s.runs)
}

// runTimes returns the estimate of one run's time for a slot, in seconds.
func (d *driver) runTimes() func(*slot) float64 {
	type acc struct {
		s float64
		n int
	}
	byCell := map[any]*acc{}
	var all acc
	add := func(k any, s float64, n int) {
		a := byCell[k]
		if a == nil {
			a = &acc{}
			byCell[k] = a
		}
		a.s += s
		a.n += n
	}
	type wm struct{ workload, variant string }
	for _, s := range d.all {
		if s.runs == 0 {
			continue
		}
		add(s.c, s.spentS, s.runs)
		add(wm{s.c.Workload, s.c.Variant()}, s.spentS, s.runs)
		add(s.c.Workload, s.spentS, s.runs)
		all.s += s.spentS
		all.n += s.runs
	}
	return func(s *slot) float64 {
		if s.runs > 0 {
			return s.spentS / float64(s.runs)
		}
		for _, k := range []any{s.c, wm{s.c.Workload, s.c.Variant()}, s.c.Workload} {
			if a := byCell[k]; a != nil && a.n > 0 {
				return a.s / float64(a.n)
			}
		}
		if all.n > 0 {
			return all.s / float64(all.n)
		}
		return 1
	}
}
