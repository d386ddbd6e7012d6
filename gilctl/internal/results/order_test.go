package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlanOrdersCellsAsReportsDo(t *testing.T) {
	probe := func(w string, p Prober, cpu int, interval float64) Cell {
		return Cell{Workload: w, Prober: p, CPUThreads: cpu, SwitchIntervalS: interval}
	}
	want := []Cell{
		{Workload: Countdown, Mode: Serial, Workers: 1},
		{Workload: Countdown, Mode: Serial, Workers: 2},
		{Workload: Countdown, Mode: Threads, Workers: 2},
		{Workload: Countdown, Mode: Processes, Workers: 2},
		{Workload: IOSleep, Mode: Serial, Workers: 1},
		{Workload: Asyncio, Mode: Serial, Workers: 1},
		probe(ProbeLatency, ProbeGoroutine, 0, DefaultSwitchIntervalS),
		probe(ProbeLatency, ProbeThread, 0, DefaultSwitchIntervalS),
		probe(ProbeLatency, ProbeGoroutine, 2, DefaultSwitchIntervalS),
		probe(ProbeLatency, ProbeGoroutine, 1, 0.0005),
		probe(ProbeLatency, ProbeThread, 1, 0.0005),
		probe(ProbeLatency, ProbeGoroutine, 1, 0.05),
		probe(ProbeIO, ProbeThread, 0, DefaultSwitchIntervalS),
		probe(ProbeIO, ProbeThread, 1, DefaultSwitchIntervalS),
		{Workload: "a.py", Mode: Threads, Workers: 1},
		{Workload: "b.py", Mode: Serial, Workers: 1},
	}
	shuffled := []Cell{want[13], want[5], want[15], want[2], want[9], want[0], want[7], want[11], want[3], want[14]}
	shuffled = append(shuffled, want[1], want[4], want[6], want[8], want[10], want[12], want[2], want[0])
	assert.Equal(t, want, Plan(shuffled), "each cell once, in report order")
	assert.Equal(t, want[:3], Plan(want[2:3], want[:2], want[1:2]), "several lists merge")
}
