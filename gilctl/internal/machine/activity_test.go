package machine

import (
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine/machinetest"
)

func TestParseProcPIDStat(t *testing.T) {
	cases := []struct {
		name string
		line string
		want procStat
	}{
		{"plain", "42 (sh) R 7 42 42 0 -1 4194304 100 0 0 0 30 12 5 3 20 0 1 0 100 0 0", procStat{ppid: 7, ticks: 30 + 12 + 5 + 3}},
		{"name with spaces and parentheses", "43 (a) b (c) S 9 43 43 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 100 0 0", procStat{ppid: 9, ticks: 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseProcPIDStat(1, []byte(tc.line))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := parseProcPIDStat(1, []byte("1 (x) R 0"))
	assert.ErrorContains(t, err, "too short")
}

// TestMeasureSeesABusyNeighbour runs a real busy loop that is not ours
// beside a real run of CPU work: the loop is always runnable, so on 2 cores
// other processes hold about one core or more however loaded the machine is
// (other work only adds to it); half a core is a safe floor.
func TestMeasureSeesABusyNeighbour(t *testing.T) {
	machinetest.BusyLoop(t)
	a, err := Measure(func() error { spin(700 * time.Millisecond); return nil })
	require.NoError(t, err)
	require.NotNil(t, a)
	assert.Greater(t, a.OtherCPUS/a.WallS, 0.5, "%+v", *a)
	assert.Positive(t, a.OwnCPUS, "our own spinning is ours, however little CPU the loaded machine gave it: %+v", *a)
}

// TestOwnTimeIncludesChildProcesses: a child process's CPU time is ours,
// not other work, whether it is still running or already waited for.
func TestOwnTimeIncludesChildProcesses(t *testing.T) {
	child := exec.Command("sh", "-c", "while :; do :; done")
	require.NoError(t, child.Start())
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
	before := ticksOf(t, child.Process.Pid)
	a, err := Measure(func() error { time.Sleep(700 * time.Millisecond); return nil })
	require.NoError(t, err)
	childS := float64(ticksOf(t, child.Process.Pid)-before) * TickS
	require.Greater(t, childS, 0.0, "the child ran")
	// Both sides count the same ticks; our own sleeping goroutine adds a
	// little, and each reading is at most a tick or two apart.
	assert.InDelta(t, childS, a.OwnCPUS, 0.05+2*TickS, "%+v", *a)

	reaped, err := Measure(func() error {
		return exec.Command("sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done").Run()
	})
	require.NoError(t, err)
	assert.Greater(t, reaped.OwnCPUS, 0.0, "a child waited for inside the run counts too: %+v", *reaped)
}

func TestSnapshotFailureIsAnError(t *testing.T) {
	_, err := Snapshot{err: assert.AnError}.Until(Snap())
	assert.ErrorIs(t, err, assert.AnError)
}

func ticksOf(t *testing.T, pid int) uint64 {
	st, err := readProcPIDStat(pid)
	require.NoError(t, err)
	return st.ticks
}

func spin(d time.Duration) {
	end := time.Now().Add(d)
	for x := 0; time.Now().Before(end); x++ {
		_ = x * x
	}
}
