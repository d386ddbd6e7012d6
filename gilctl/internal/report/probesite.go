package report

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"

	"github.com/gilkit/gilkit/gilctl/internal/plots"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// LatencyValue is a latency percentile of a probe result, with its
// interval.
func LatencyValue(pick func(*results.Latency) (float64, *results.Interval)) plots.Value {
	return func(r results.Result) (float64, float64, float64, bool) {
		if r.Latency == nil {
			return 0, 0, 0, false
		}
		y, ci := pick(r.Latency)
		if ci == nil {
			return y, y, y, true
		}
		return y, ci.Lo, ci.Hi, true
	}
}

func p99(l *results.Latency) (float64, *results.Interval) { return l.P99S, l.P99CI }
func p50(l *results.Latency) (float64, *results.Interval) { return l.P50S, l.P50CI }

// OfIdleValue is the I/O probe's rate as a percentage of its idle rate
// (100 for the idle run itself).
func OfIdleValue(r results.Result) (float64, float64, float64, bool) {
	if r.RoundTripsPerS == nil {
		return 0, 0, 0, false
	}
	if r.CPUThreads == 0 {
		return 100, 100, 100, true
	}
	if r.OfIdle == nil {
		return 0, 0, 0, false
	}
	y := 100 * r.OfIdle.Value
	if ci := r.OfIdle.CI; ci != nil {
		return y, 100 * ci.Lo, 100 * ci.Hi, true
	}
	return y, y, y, true
}

// ProbeSections are the GIL probes' part of the report: latency against
// CPU-bound threads (p99 and p50, a panel per probe, a line per
// interpreter), the switch-interval sweep, and I/O round trips against
// load.
func ProbeSections(rs []results.Result) ([]Section, []plots.Figure, error) {
	var series, sweep []results.Result
	for _, r := range rs {
		if r.Workload != results.ProbeLatency && r.Workload != results.ProbeIO {
			continue
		}
		if r.SwitchIntervalS == results.DefaultSwitchIntervalS {
			series = append(series, r)
		}
		if r.Workload == results.ProbeLatency {
			sweep = append(sweep, r)
		}
	}
	if len(series) == 0 && len(sweep) == 0 {
		return nil, nil, nil
	}
	sweepThreads := -1
	var intervals []float64
	for _, r := range sweep {
		if r.SwitchIntervalS != results.DefaultSwitchIntervalS {
			sweepThreads = r.CPUThreads
		}
	}
	var sweepCells []results.Result
	for _, r := range sweep {
		if r.CPUThreads == sweepThreads {
			sweepCells = append(sweepCells, r)
			if !slices.Contains(intervals, r.SwitchIntervalS) {
				intervals = append(intervals, r.SwitchIntervalS)
			}
		}
	}
	slices.Sort(intervals)
	cpu := func(r results.Result) float64 { return float64(r.CPUThreads) }
	interval := results.Seconds(results.DefaultSwitchIntervalS)
	var ticks []plot.Tick
	for _, x := range intervals {
		ticks = append(ticks, plot.Tick{Value: x, Label: results.Seconds(x)})
	}
	specs := []struct {
		name, title, ylabel, workload string
		rs                            []results.Result
		value                         plots.Value
		opt                           plots.Options
	}{
		{"latency-p99", fmt.Sprintf("p99 latency to run Python against CPU-bound threads (switch interval %s)", interval), "p99 latency",
			results.ProbeLatency, series, LatencyValue(p99),
			plots.Options{X: cpu, XLabel: "CPU-bound threads", LogY: true, YSeconds: true, Lines: []plots.Line{{Label: "switch interval " + interval, Y: results.DefaultSwitchIntervalS}}}},
		{"latency-p50", fmt.Sprintf("median latency to run Python against CPU-bound threads (switch interval %s)", interval), "p50 latency",
			results.ProbeLatency, series, LatencyValue(p50),
			plots.Options{X: cpu, XLabel: "CPU-bound threads", LogY: true, YSeconds: true, Lines: []plots.Line{{Label: "switch interval " + interval, Y: results.DefaultSwitchIntervalS}}}},
		{"latency-sweep", fmt.Sprintf("p99 latency against the switch interval (%s)", results.CPUThreads(sweepThreads)), "p99 latency",
			results.ProbeLatency, sweepCells, LatencyValue(p99),
			plots.Options{X: func(r results.Result) float64 { return r.SwitchIntervalS }, XLabel: "sys.setswitchinterval", XTicks: ticks,
				LogX: true, LogY: true, YSeconds: true, Lines: []plots.Line{{Label: "latency = switch interval", Diagonal: true}}}},
		{"io-under-load", "I/O round trips of a Python thread against CPU-bound threads, % of the idle rate", "% of idle round trips/s",
			results.ProbeIO, series, OfIdleValue,
			plots.Options{X: cpu, XLabel: "CPU-bound threads", Busy: results.Result.SpeedupBusy, Lines: []plots.Line{{Label: "the idle rate", Y: 100}}}},
	}
	sections := []Section{
		{ID: "probe-latency", Title: "GIL probe: latency to run Python",
			Intro: "While N Python threads run CPU-bound code, a probe asks every few milliseconds to run Python and measures how long it waits: " +
				"a goroutine attaching through embed (timed in Go), and a Python thread waking from a short time.sleep (its oversleep, " +
				"which also holds ~0.1 ms of the operating system's timer slack). With a GIL the wait is of the order of the switch interval " +
				"and grows with the number of CPU-bound threads; without it only the operating system's scheduler is left, once there are " +
				"more runnable threads than cores. Error bars: 95% intervals of the percentile (none with too few samples)."},
		{ID: "probe-io", Title: "GIL probe: I/O under CPU load",
			Intro: "Round trips per second of a Python thread exchanging small messages with a loopback echo server, as a share of the same " +
				"exchange with no CPU-bound thread: each recv() releases the GIL while it waits, and on a GIL build the thread must win it " +
				"back from the CPU-bound threads before it can send again (the convoy effect)."},
	}
	var figs []plots.Figure
	for _, sp := range specs {
		if len(sp.rs) == 0 {
			continue
		}
		opt := sp.opt
		opt.Name, opt.Title, opt.YLabel = sp.name, sp.title, sp.ylabel
		opt.Panels = variants(results.Probers())
		f, ok, err := plots.SmallMultiples(sp.rs, sp.workload, sp.value, opt)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			continue
		}
		figs = append(figs, f)
		k := 0
		if sp.workload == results.ProbeIO {
			k = 1
		}
		sections[k].Charts = append(sections[k].Charts, Chart{Name: f.Name})
	}
	var out []Section
	for _, s := range sections {
		if len(s.Charts) > 0 {
			out = append(out, s)
		}
	}
	return out, figs, nil
}
