package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// planText lists a plan one cell a line, numbered as progress numbers them.
func planText(plan []results.Cell) string {
	var b strings.Builder
	for k, c := range plan {
		fmt.Fprintf(&b, "%3d %s\n", k+1, c)
	}
	return b.String()
}

// TestDefaultPlansArePinned keeps the cells that check and compare --quick
// (make bench QUICK=1) measure by default (the claims' cells) and those
// compare (make bench) measures (and the charts'): they are derived from
// the claims' and the charts' declarations, and a change there must not
// change what is measured unnoticed.
func TestDefaultPlansArePinned(t *testing.T) {
	for _, tc := range []struct {
		name string
		plan []results.Cell
	}{
		{"check", check.ClaimCells()},
		{"compare", Plan()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, "plan/"+tc.name, []byte(planText(tc.plan)))
		})
	}
}
