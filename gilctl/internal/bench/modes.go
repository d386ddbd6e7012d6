package bench

import (
	"fmt"
	"slices"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// modeRun is how the runner runs a mode that takes more than calling its
// gilbench driver (results.Mode.Driver) in the main interpreter: one whose
// workers Go starts (results.Mode.SpreadByGo), or whose driver needs worker
// processes started first. Every other mode runs through its driver alone,
// so that a mode whose driver starts its own workers needs nothing here.
type modeRun struct {
	// run times one run of workload over workers.
	run func(r *Runner, workload string, workers int) (results.Sample, error)
	// unavailable, when set, says why the mode cannot run the workload
	// here even though the main interpreter can.
	unavailable func(r *Runner, workload string, workers int) string
}

// modeRuns are the modes the runner has Go code for.
var modeRuns = map[results.Mode]modeRun{
	results.Goroutines:      {run: (*Runner).runGoroutines},
	results.Processes:       {run: (*Runner).runProcesses, unavailable: (*Runner).processesUnavailable},
	results.Subinterpreters: {run: (*Runner).runSubinterpreters, unavailable: (*Runner).subinterpretersUnavailable},
}

// runMode times one run of timed work in the cell's mode.
func (r *Runner) runMode(c results.Cell) (results.Sample, error) {
	if m, ok := modeRuns[c.Mode]; ok {
		return m.run(r, c.Workload, c.Workers)
	}
	if c.Mode.Driver() == "" || c.Mode.SpreadByGo() {
		return results.Sample{}, fmt.Errorf("unknown mode %q", string(c.Mode))
	}
	return r.runPython(c.Mode.Driver(), nil, c.Workload, c.Workers)
}

// modeUnavailable says why the cell's mode cannot run its workload here,
// once the main interpreter has said it can: the interpreter is too old
// for the mode, or the mode's workers cannot run it.
func (r *Runner) modeUnavailable(c results.Cell) string {
	if why := c.Mode.Unavailable(r.interp); why != "" {
		return why
	}
	if m, ok := modeRuns[c.Mode]; ok && m.unavailable != nil {
		return m.unavailable(r, c.Workload, c.Workers)
	}
	return ""
}

// drivers are the gilbench functions the runner calls: every mode's
// driver and those that serve them.
func drivers() []string {
	names := []string{"make_pool", "unavailable", "processes_unavailable"}
	for _, m := range results.Modes() {
		if d := m.Driver(); !slices.Contains(names, d) {
			names = append(names, d)
		}
	}
	return names
}
