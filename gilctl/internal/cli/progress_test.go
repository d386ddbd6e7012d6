package cli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// The progress says, per cell and interpreter, how many runs it took and
// why it stopped, and before each run which one it is and the time left.
func TestProgressLines(t *testing.T) {
	c := results.Cell{Workload: "countdown", Mode: "threads", Workers: 2}
	res := func(name string, runs int, reason string) results.Result {
		return results.Result{Interpreter: results.Interpreter{Name: name}, Cell: c, Runs: runs,
			WallS: &results.Summary{Median: 0.951}, Stop: &results.Stop{Reason: reason}}
	}
	rs := []results.Result{res("3.12", 5, results.StopDecided), res("3.13t", 20, results.StopBudget), res("3.13", 3, results.StopFixed),
		{Interpreter: results.Interpreter{Name: "3.11"}, Cell: c, Skipped: "no"}}
	assert.Equal(t, "[3/8] countdown threads x2: 3.12 0.951 s (5 runs, decided), 3.13t 0.951 s (20 runs, budget), 3.13 0.951 s (3 runs), 3.11 skipped (no)",
		cellLine(3, 8, c, rs))
	tick := matrix.Tick{K: 7, Cells: 84, Cell: c, Runner: "3.13t", Run: 4, Max: 20, Left: 190 * time.Second}
	assert.Equal(t, "[7/84] countdown threads x2 on 3.13t: run 4 of at most 20, ~3m10s left", tickLine(tick))
	tick.Run, tick.Left = 0, 1400*time.Millisecond
	assert.Equal(t, "[7/84] countdown threads x2 on 3.13t: warm-up, ~1s left", tickLine(tick))
}
