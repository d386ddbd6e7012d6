package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// probeFlags shape the GIL probes: beside how many CPU-bound threads, at
// which switch intervals, for how long.
type probeFlags struct {
	cpuThreads                  *countsFlag
	sweep                       *intervalsFlag
	duration, period, echoDelay *time.Duration
}

func addProbeFlags(fs *flag.FlagSet, cpuThreads string) *probeFlags {
	if cpuThreads == "" {
		cpuThreads = "0,1,2,4"
	}
	f := &probeFlags{
		cpuThreads: cpuThreadsFlag(),
		sweep:      &intervalsFlag{},
		duration:   fs.Duration("probe-duration", 0, "how long each run of a probe cell probes (default 500ms; 50ms with --quick)"),
		period:     fs.Duration("probe-period", 0, "mean pause between two latency samples (default 2ms)"),
		echoDelay:  fs.Duration("echo-delay", 0, "how long the I/O probe's echo server takes to answer (default 100µs)"),
	}
	if err := f.cpuThreads.Set(cpuThreads); err != nil {
		panic(err) // a wrong default is a programming error
	}
	_ = f.sweep.Set("0.5ms,5ms,50ms")
	fs.Var(f.cpuThreads, "cpu-threads", "probes: numbers of CPU-bound Python threads to probe beside (0 is the idle baseline)")
	fs.Var(f.sweep, "sweep", "probes: switch intervals the latency probes also run at, with 1 CPU-bound thread (none: no sweep)")
	return f
}

// apply puts the probe settings into spec (after --quick has chosen the
// sizes).
func (f *probeFlags) apply(spec *matrix.Spec) error {
	spec.CPUThreads, spec.Sweep = f.cpuThreads.counts, f.sweep.seconds
	for _, d := range []struct {
		name  string
		value time.Duration
		into  *float64
	}{
		{"--probe-duration", *f.duration, &spec.Params.ProbeDurationS},
		{"--probe-period", *f.period, &spec.Params.ProbePeriodS},
		{"--echo-delay", *f.echoDelay, &spec.Params.ProbeIODelayS},
	} {
		switch {
		case d.value < 0:
			return fmt.Errorf("%s must not be negative, got %v", d.name, d.value)
		case d.value > 0:
			*d.into = d.value.Seconds()
		}
	}
	if slices.Contains(spec.Workloads, results.ProbeIO) && !slices.Contains(spec.CPUThreads, 0) {
		return fmt.Errorf("the I/O probe compares with its idle rate: --cpu-threads must include 0 (got %s)", f.cpuThreads)
	}
	return nil
}

// workerArgs passes the probe sizes to worker processes.
func (f *probeFlags) workerArgs() []string {
	var args []string
	for name, d := range map[string]time.Duration{"--probe-duration": *f.duration, "--probe-period": *f.period, "--echo-delay": *f.echoDelay} {
		if d > 0 {
			args = append(args, name, d.String())
		}
	}
	slices.Sort(args) // stable command lines
	return args
}

// intervalsFlag is a list of switch intervals ("0.5ms,5ms,50ms"), or
// "none".
type intervalsFlag struct{ seconds []float64 }

func (f *intervalsFlag) String() string {
	if len(f.seconds) == 0 {
		return "none"
	}
	var s []string
	for _, x := range f.seconds {
		s = append(s, results.Seconds(x))
	}
	return strings.Join(s, ",")
}

func (f *intervalsFlag) Set(s string) error {
	f.seconds = nil
	if strings.TrimSpace(s) == "none" {
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil || d <= 0 {
			return fmt.Errorf("bad switch interval %q: want durations like 0.5ms,5ms,50ms, or none", part)
		}
		f.seconds = append(f.seconds, d.Seconds())
	}
	slices.Sort(f.seconds)
	f.seconds = slices.Compact(f.seconds)
	return nil
}
