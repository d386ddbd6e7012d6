package matrix

import (
	"fmt"
	"time"
)

// retryBusy re-measures the group's busy slots that no need uses, as
// Options.RetryBusy asks, keeping each runner's least busy attempt.
func (d *driver) retryBusy(g *group) error {
	for attempt := 2; attempt <= 1+d.opt.RetryBusy; attempt++ {
		var again [][]*slot
		var old []*slot
		for _, row := range g.slots {
			var redo []*slot
			for _, s := range row {
				if len(s.needs) > 0 || s.skip != "" {
					continue
				}
				if r := d.result(s, nil); r.Busy() {
					fresh := *s
					fresh.samples, fresh.warm, fresh.countS = nil, 0, 0
					redo = append(redo, &fresh)
					old = append(old, s)
				}
			}
			if len(redo) > 0 {
				again = append(again, redo)
			}
		}
		if len(again) == 0 {
			return nil
		}
		first := d.result(old[0], nil)
		d.note(old[0], fmt.Sprintf("measured on a busy machine (%s); measuring again in %v, attempt %d of %d",
			first.OtherLoad, d.opt.RetryPause, attempt, 1+d.opt.RetryBusy))
		time.Sleep(d.opt.RetryPause)
		if err := d.measure(g, again); err != nil {
			return err
		}
		i := 0
		for _, row := range again {
			for _, fresh := range row {
				s := old[i]
				i++
				a, b := d.result(s, nil), d.result(fresh, nil)
				s.runs, s.spentS = fresh.runs, fresh.spentS
				if fresh.skip == "" && b.OtherLoad != nil && a.OtherLoad != nil && b.OtherLoad.OtherCores < a.OtherLoad.OtherCores {
					s.samples, s.countS = fresh.samples, fresh.countS
				}
				s.attempts = attempt
			}
		}
	}
	return nil
}
