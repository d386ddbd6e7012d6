package check

import (
	"fmt"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// releaseVerdict judges release-gil-parallel: it does not hold when one of
// the libraries measured does not run in parallel, is inconclusive when one
// cannot be judged, and holds when every library measured does. Optional
// libraries that were not in the run are left out of the evidence; skipped
// ones say why (gopy's own error, for instance). The control is shown
// after them, when it was measured.
func (j judge) releaseVerdict(cl claim, n string) Verdict {
	var parts []string
	var holds, not, unsure int
	for _, x := range cl.Ratios {
		if x.Control {
			if r, ok := j.ix.Get(n, x.Den); ok && r.Measured() && r.Speedup != nil {
				busy := ""
				if r.Busy() {
					busy = ", measured on a busy machine"
				}
				parts = append(parts, fmt.Sprintf("%s (%s): %.2f times as fast as serial%s", x.Label, x.Den, r.Speedup.Value, busy))
			}
			continue
		}
		if _, ok := j.ix.Get(n, x.Den); !ok && x.Optional {
			continue
		}
		v := j.speedupVerdict(x.on(cl.ID, n, "", results.Params{}))
		switch v.Verdict {
		case Holds:
			holds++
		case DoesNotHold:
			not++
		case Inconclusive:
			unsure++
		}
		parts = append(parts, fmt.Sprintf("%s: %s — %s", x.Label, v.Verdict, v.Evidence))
	}
	verdict := NA
	switch {
	case not > 0:
		verdict = DoesNotHold
	case unsure > 0:
		verdict = Inconclusive
	case holds > 0:
		verdict = Holds
	}
	return Verdict{Verdict: verdict, Evidence: strings.Join(parts, "; ")}
}
