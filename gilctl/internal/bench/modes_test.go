package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// TestEveryModeCanRun: each mode's gilbench driver is loaded, and each mode
// whose workers Go starts has the Go code that starts them.
func TestEveryModeCanRun(t *testing.T) {
	r := newRunner(t, smallSpec(nil, nil, 1))
	for _, m := range results.Modes() {
		t.Run(string(m), func(t *testing.T) {
			assert.NotNil(t, r.fns[m.Driver()], "gilbench.%s", m.Driver())
			if m.SpreadByGo() {
				assert.Contains(t, modeRuns, m, "a mode whose workers Go starts needs its run in modeRuns")
			}
		})
	}
}
