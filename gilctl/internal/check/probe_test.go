package check

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// ioProbe builds an I/O probe result: six runs of 0.5 s around rate round
// trips per second, with other processes using other cores meanwhile.
func ioProbe(i results.Interpreter, cpuThreads int, rate, other float64) results.Result {
	var samples []results.Sample
	for k := range 6 {
		samples = append(samples, results.Sample{WallS: 0.5, RoundTrips: int(rate*0.5) + k,
			Load: &machine.Activity{WallS: 0.5, OwnCPUS: 0.5 * max(0.1, float64(cpuThreads)), OtherCPUS: other * 0.5, ResolutionS: 0.017}})
	}
	c := ioProbeCell(cpuThreads)
	return results.NewResult(i, machine.Machine{Cores: 2}, c, results.Params{ProbeIODelayS: 0.0001}, samples, results.DefaultBusyCores)
}

func TestIOUnderCPULoad(t *testing.T) {
	rs := []results.Result{
		ioProbe(gil312, 0, 4000, 0.01), ioProbe(gil312, 1, 190, 0.01), ioProbe(gil312, 2, 90, 0.01),
		ioProbe(ft313, 0, 4000, 0.01), ioProbe(ft313, 1, 3800, 0.01),
		ioProbe(ft313g, 0, 4000, 0.01), ioProbe(ft313g, 1, 3700, 0.9), // busy: not judged
	}
	results.AddRatios(rs)
	c := find(t, Evaluate(rs, Facts{}), "io-threads-under-cpu-load")
	assert.Equal(t, DoesNotHold, c.Verdicts["3.12"].Verdict)
	assert.Contains(t, c.Verdicts["3.12"].Evidence, "4005/s idle, 195/s beside 1 CPU-bound thread = 4.9% of idle (95% CS 4.7–5.1%, 6 pairs; holds if >= 50%)")
	assert.Contains(t, c.Verdicts["3.12"].Evidence, "with more CPU-bound threads 2: 2.4%")
	assert.Equal(t, Holds, c.Verdicts["3.13t"].Verdict)
	assert.Equal(t, Inconclusive, c.Verdicts["3.13t+gil"].Verdict)
	assert.Contains(t, c.Verdicts["3.13t+gil"].Evidence, "not judged")
	assert.Equal(t, "holds only on 3.13t (inconclusive on 3.13t+gil)", c.Overall)
}

func TestIOUnderCPULoadNeedsTheProbe(t *testing.T) {
	c := find(t, Evaluate(fixture(), facts()), "io-threads-under-cpu-load")
	assert.Equal(t, NA, c.Verdicts["3.12"].Verdict)
	assert.Contains(t, c.Verdicts["3.12"].Evidence, "not measured (probe-io thread, 0 CPU threads, switch 5ms was not in the run)")
}

// The summary compares each free-threaded build with its GIL baseline:
// one thread slower, faster from 2 workers in threads; and an I/O-bound
// workload never wins.
func TestSummary(t *testing.T) {
	src := &results.Source{Version: "3.13.15", SHA256: "abc"}
	gil313 := results.Interpreter{Name: "3.13", Version: "3.13.15", GILEnabled: true, Source: src}
	ft := ft313
	ft.Source = src
	var rs []results.Result
	for _, c := range []struct {
		i                          results.Interpreter
		serial, t1, t2, t4, io, ti float64
	}{
		{gil313, 1.0, 1.0, 1.05, 1.1, 0.1, 0.1},
		{ft, 1.4, 1.4, 0.72, 0.71, 0.1, 0.1},
		{gil312, 0.9, 0.9, 0.95, 1.0, 0.1, 0.1},
	} {
		rs = append(rs,
			cell(c.i, "cpu.py", "serial", 1, c.serial, 1),
			cell(c.i, "cpu.py", "threads", 1, c.t1, 1),
			cell(c.i, "cpu.py", "threads", 2, c.t2, 1),
			cell(c.i, "cpu.py", "threads", 4, c.t4, 1),
			cell(c.i, "io.py", "serial", 1, c.io, 1),
			cell(c.i, "io.py", "threads", 2, c.ti, 1),
		)
	}
	for _, i := range []results.Interpreter{gil313, ft} {
		rs = append(rs, results.Skip(i, machine.Machine{}, results.Cell{Workload: "broken.py", Mode: "serial", Workers: 1}, results.Params{},
			"broken.py: setup() raised ValueError: no"))
	}
	results.AddRatios(rs)
	ss := Summarize(rs)
	require.Len(t, ss, 3, "one per workload: only 3.13t is free-threaded with the GIL off")
	assert.Equal(t, "broken.py: not measured on any interpreter: broken.py: setup() raised ValueError: no", ss[2].String())
	assert.Equal(t, "cpu.py", ss[0].Workload)
	assert.Equal(t, "3.13", ss[0].Baseline, "the same source wins over 3.12")
	assert.Equal(t, "same source", ss[0].BaselineKind)
	assert.Equal(t, "1.40x slower (serial x1: 1.400 s vs 1.000 s)", ss[0].SingleThread)
	require.Len(t, ss[0].Modes, 1, "goroutines were not measured")
	assert.Equal(t, "threads: faster from 2 workers on (speed against 3.13: 0.71x at 1, 1.46x at 2, 1.55x at 4)", ss[0].Modes[0])
	assert.Equal(t, "io.py: 3.13t against 3.13, same source\n"+
		"  one thread: as fast: 1.00x the time, the interval 0.97–1.03 contains 1 (serial x1: 0.100 s vs 0.100 s)\n"+
		"  threads: never significantly faster (speed against 3.13: 1.00x at 2)", ss[1].String())
	assert.Contains(t, SummaryText(ss), "Summary: free-threaded builds against the GIL build")
	assert.Contains(t, SummaryText(nil), "nothing to summarize")
}
