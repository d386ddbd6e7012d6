package check

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/sequential"
)

// rule is a threshold a ratio is held against: at least limit, or (atMost)
// at most limit.
type rule struct {
	atMost bool
	limit  float64
	// perIOOp, when set, makes the limit this many times the run's number
	// of I/O operations (Params.IOOps): how many waits must overlap.
	perIOOp float64
}

// at is the rule for a run with the workload sizes p.
func (r rule) at(p results.Params) rule {
	if r.perIOOp != 0 {
		r.limit = r.perIOOp * float64(p.IOOps)
	}
	return r
}

func (r rule) String() string {
	if r.atMost {
		return fmt.Sprintf("holds if <= %.2f", r.limit)
	}
	return fmt.Sprintf("holds if >= %.2f", r.limit)
}

// verdict turns where the interval lies into the claim's verdict.
func (r rule) verdict(d sequential.Decision) string {
	switch {
	case d == sequential.Above && !r.atMost, d == sequential.Below && r.atMost:
		return Holds
	case d == sequential.Above, d == sequential.Below:
		return DoesNotHold
	}
	return Inconclusive
}
