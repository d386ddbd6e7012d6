package results

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProbeCellsOfOldFilesAreRead: files saved before probe cells had
// fields of their own (who probes in "mode", the CPU-bound threads in
// "workers") are read as they were meant.
func TestProbeCellsOfOldFilesAreRead(t *testing.T) {
	cases := []struct {
		name, cell string
		want       Cell
	}{
		{"old latency probe", `"workload": "probe-latency", "mode": "goroutine", "workers": 2, "switch_interval_s": 0.005`,
			Cell{Workload: ProbeLatency, Prober: ProbeGoroutine, CPUThreads: 2, SwitchIntervalS: 0.005}},
		{"old idle I/O probe", `"workload": "probe-io", "mode": "thread", "workers": 0, "switch_interval_s": 0.005`,
			Cell{Workload: ProbeIO, Prober: ProbeThread, SwitchIntervalS: 0.005}},
		{"probe", `"workload": "probe-io", "probe": "thread", "cpu_threads": 4, "switch_interval_s": 0.005`,
			Cell{Workload: ProbeIO, Prober: ProbeThread, CPUThreads: 4, SwitchIntervalS: 0.005}},
		{"timed work", `"workload": "countdown", "mode": "threads", "workers": 2`,
			Cell{Workload: Countdown, Mode: Threads, Workers: 2}},
		{"a script", `"workload": "my_work.py", "mode": "serial", "workers": 1`,
			Cell{Workload: "my_work.py", Mode: Serial, Workers: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := Decode("old.json", []byte(`{"results": [{`+tc.cell+`, "interpreter": {"name": "3.12"}, "runs": 3}]}`))
			require.NoError(t, err)
			require.Len(t, rs, 1)
			assert.Equal(t, tc.want, rs[0].Cell)
			assert.Equal(t, "3.12", rs[0].Interpreter.Name, "the rest of the result is read too")
			assert.Equal(t, 3, rs[0].Runs)
		})
	}
}

// TestProbeCellsRoundTrip: a probe cell is saved with its own fields and
// read back equal; timed work keeps "workload", "mode", "workers".
func TestProbeCellsRoundTrip(t *testing.T) {
	rs := []Result{
		{Interpreter: py312, Cell: Cell{Workload: Countdown, Mode: Threads, Workers: 2}, Skipped: "no"},
		{Interpreter: py312, Cell: Cell{Workload: ProbeLatency, Prober: ProbeThread, CPUThreads: 0, SwitchIntervalS: 0.005}, Skipped: "no"},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, rs))
	assert.Contains(t, buf.String(), `"workload": "countdown",
      "mode": "threads",
      "workers": 2,`)
	assert.Contains(t, buf.String(), `"workload": "probe-latency",
      "probe": "thread",
      "switch_interval_s": 0.005,`)
	back, err := Decode("f.json", buf.Bytes())
	require.NoError(t, err)
	assert.Equal(t, rs[0].Cell, back[0].Cell)
	assert.Equal(t, rs[1].Cell, back[1].Cell)
}
