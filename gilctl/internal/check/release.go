package check

import (
	"fmt"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// releaseLibraries are the article's "libraries that release the GIL", as
// measured: C code (hashlib), Go code called through the module gilkit in
// the embedded interpreter, and Go code built by gopy and called from a
// plain python process. Each is judged on two threads against serial.
var releaseLibraries = []struct{ label, workload string }{
	{"C (hashlib)", "release-sha256"},
	{"Go in the embedded interpreter (gilkit.countdown)", "go-release"},
	{"Go from plain python (gopy)", "gopy"},
}

// releaseControl is the same Go loop as go-release with the GIL held: on a
// GIL build it shows that releasing the GIL is what makes the difference.
const releaseControl = "go-held"

// releaseVerdict judges release-gil-parallel: it does not hold when one of
// the libraries measured does not run in parallel, is inconclusive when one
// cannot be judged, and holds when every library measured does. Libraries
// that were not in the run are left out of the evidence; skipped ones say
// why (gopy's own error, for instance).
func (j judge) releaseVerdict(n string) Verdict {
	var parts []string
	var holds, not, unsure int
	for _, lib := range releaseLibraries {
		c := releaseCell(lib.workload)
		if _, ok := j.ix.Get(n, c); !ok && lib.workload != "release-sha256" {
			continue
		}
		v := j.speedupVerdict(speedupOf("release-gil-parallel", n, c, parallelRule))
		switch v.Verdict {
		case Holds:
			holds++
		case DoesNotHold:
			not++
		case Inconclusive:
			unsure++
		}
		parts = append(parts, fmt.Sprintf("%s: %s — %s", lib.label, v.Verdict, v.Evidence))
	}
	control := results.Cell{Workload: releaseControl, Mode: "threads", Workers: 2}
	if r, ok := j.ix.Get(n, control); ok && r.Measured() && r.Speedup != nil {
		busy := ""
		if r.Busy() {
			busy = ", measured on a busy machine"
		}
		parts = append(parts, fmt.Sprintf("control, the same Go loop holding the GIL (%s): %.2f times as fast as serial%s",
			control, r.Speedup.Value, busy))
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
