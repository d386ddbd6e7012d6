package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// probeUnavailable says why a probe cell cannot run, or "".
func probeUnavailable(c results.Cell) string {
	p, _ := results.LookupWorkload(c.Workload)
	switch {
	case c.Workload == results.ProbeLatency && !slices.Contains(p.Probers, c.Prober):
		return fmt.Sprintf("unknown latency probe %q (want %s)", string(c.Prober), results.Join(p.Probers, " or "))
	case c.Workload == results.ProbeIO && !slices.Contains(p.Probers, c.Prober):
		return fmt.Sprintf("the I/O probe runs in a Python thread, not %q", string(c.Prober))
	case c.CPUThreads < 0:
		return fmt.Sprintf("cannot run %d CPU-bound threads", c.CPUThreads)
	case c.SwitchIntervalS <= 0:
		return "a probe needs a switch interval above 0"
	}
	return ""
}

// runProbe runs one probe cell once: c.CPUThreads CPU-bound Python threads
// start at the cell's switch interval, the probe runs beside them for
// ProbeDurationS (and at least ProbeMinSamples latencies), then they stop.
// WallS is the probing time.
func (r *Runner) runProbe(c results.Cell) (results.Sample, error) {
	if why := probeUnavailable(c); why != "" {
		return results.Sample{}, fmt.Errorf("%s", why)
	}
	if c.Prober == results.ProbeGoroutine && !r.probeWarm {
		// Untimed, before any CPU-bound thread runs: the first attach of
		// each OS thread Go lends the goroutine creates that thread's
		// Python thread state (kept from then on); probe cells have no
		// warm-up run to absorb it.
		for range 8 {
			if res, err := r.in.Call(r.fns["noop"]); err == nil {
				res.Close()
			}
		}
		r.probeWarm = true
	}
	var load *embed.Object
	err := r.in.Do(func(py *embed.Py) error {
		var err error
		load, err = py.Call(r.fns["cpu_load"], c.CPUThreads, c.SwitchIntervalS)
		return err
	})
	if err != nil {
		return results.Sample{}, fmt.Errorf("starting %s: %w", results.CPUThreads(c.CPUThreads), err)
	}
	defer load.Close()
	t0 := time.Now()
	var s results.Sample
	switch {
	case c.Workload == results.ProbeIO:
		s, err = r.probeIO()
	case c.Prober == results.ProbeGoroutine:
		s.LatenciesS, err = r.probeGoroutine()
	default:
		s.LatenciesS, err = r.probeThread()
	}
	if s.WallS == 0 {
		s.WallS = time.Since(t0).Seconds()
	}
	stopErr := r.in.Do(func(py *embed.Py) error {
		stop, err := py.Attr(load, "stop")
		if err != nil {
			return err
		}
		defer stop.Close()
		_, err = py.Call(stop)
		return err
	})
	if err == nil && stopErr != nil {
		err = fmt.Errorf("stopping the CPU-bound threads: %w", stopErr)
	}
	return s, err
}

// probeGoroutine wakes every ProbePeriodS (drawn between half and one and
// a half of it) and times, in Go, how long a goroutine takes from asking
// to run Python (in.Call of an empty function: attach, call, detach) to
// having run it. The CPU-bound threads hold the GIL meanwhile on a GIL
// build; the wait is for it.
func (r *Runner) probeGoroutine() ([]float64, error) {
	p := r.params
	rnd := rand.New(rand.NewPCG(1, 2))
	var out []float64
	end := time.Now().Add(seconds(p.ProbeDurationS))
	for time.Now().Before(end) || len(out) < p.ProbeMinSamples {
		time.Sleep(seconds(p.ProbePeriodS * (0.5 + rnd.Float64())))
		t0 := time.Now()
		res, err := r.in.Call(r.fns["noop"])
		d := time.Since(t0)
		if err != nil {
			return out, fmt.Errorf("the goroutine probe's call: %w", err)
		}
		res.Close()
		out = append(out, d.Seconds())
	}
	return out, nil
}

// probeThread runs gilprobe.probe_thread: a Python thread's oversleep.
func (r *Runner) probeThread() ([]float64, error) {
	p := r.params
	var out []float64
	err := r.in.Do(func(py *embed.Py) error {
		v, err := callGo(py, r.fns["probe_thread"], p.ProbeDurationS, p.ProbePeriodS, p.ProbeMinSamples)
		if err != nil {
			return err
		}
		for _, x := range v.([]any) {
			f, _ := x.(float64)
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// probeIO runs gilprobe.probe_io against the Go echo server, which
// answers each message after ProbeIODelayS without ever needing the GIL.
func (r *Runner) probeIO() (results.Sample, error) {
	var s results.Sample
	err := r.in.Do(func(py *embed.Py) error {
		v, err := callGo(py, r.fns["probe_io"], r.probeEcho.port(), r.params.ProbeDurationS)
		if err != nil {
			return err
		}
		t, ok := v.(embed.Tuple)
		if !ok || len(t) != 2 {
			return fmt.Errorf("gilprobe.probe_io returned %v, want (round trips, seconds)", v)
		}
		n, _ := t[0].(int64)
		s.RoundTrips = int(n)
		s.WallS, _ = t[1].(float64)
		return nil
	})
	return s, err
}
