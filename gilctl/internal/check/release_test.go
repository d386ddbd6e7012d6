package check

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// release-gil-parallel judges every library that releases the GIL that was
// measured: one that does not run in parallel decides it, skipped ones say
// why, and the GIL-holding Go loop is shown as the control.
func TestReleaseVerdictJudgesCAndGo(t *testing.T) {
	pair := func(workload string, speedup float64) []results.Result {
		return []results.Result{
			cell(gil312, workload, "serial", 2, 0.4, 1),
			cell(gil312, workload, "threads", 2, 0.4/speedup, 1),
		}
	}
	skipped := func(workload, why string) []results.Result {
		r := results.Result{Interpreter: gil312, Cell: results.Cell{Workload: workload, Mode: "threads", Workers: 2}, Skipped: why}
		return []results.Result{r}
	}
	tests := []struct {
		name     string
		rs       [][]results.Result
		want     string
		evidence []string
	}{
		{"all parallel", [][]results.Result{pair("release-sha256", 1.9), pair("go-release", 1.85), pair("gopy", 1.8), pair("go-held", 1.0)},
			Holds, []string{"C (hashlib): holds", "Go in the embedded interpreter (gilkit.countdown): holds — go-release threads x2: 1.85",
				"Go from plain python (gopy): holds", "control, the same Go loop holding the GIL (go-held threads x2): 1.00 times"}},
		{"gopy skipped", [][]results.Result{pair("release-sha256", 1.9), pair("go-release", 1.85), skipped("gopy", "no gopy build in /x")},
			Holds, []string{"Go from plain python (gopy): n/a — gopy threads x2 skipped: no gopy build in /x"}},
		{"Go serialized", [][]results.Result{pair("release-sha256", 1.9), pair("go-release", 1.0)},
			DoesNotHold, []string{"Go in the embedded interpreter (gilkit.countdown): does not hold"}},
		{"only hashlib, as before", [][]results.Result{pair("release-sha256", 1.9)},
			Holds, []string{"C (hashlib): holds"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rs []results.Result
			for _, r := range tc.rs {
				rs = append(rs, r...)
			}
			results.AddSpeedups(rs)
			v := find(t, Evaluate(rs, Facts{}), "release-gil-parallel").Verdicts["3.12"]
			assert.Equal(t, tc.want, v.Verdict, v.Evidence)
			for _, e := range tc.evidence {
				assert.Contains(t, v.Evidence, e)
			}
		})
	}
}
