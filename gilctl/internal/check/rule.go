package check

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// rule is a threshold a ratio is held against: at least limit, or (atMost)
// at most limit.
type rule struct {
	atMost bool
	limit  float64
}

func (r rule) String() string {
	if r.atMost {
		return fmt.Sprintf("holds if <= %.2f", r.limit)
	}
	return fmt.Sprintf("holds if >= %.2f", r.limit)
}

// judge returns the verdict on x and its interval in words. The verdict is
// Holds or DoesNotHold only when the whole interval is on one side of the
// limit; without an interval (too few runs) it is Inconclusive.
func (r rule) judge(x results.Ratio) (verdict, interval string) {
	if x.CI == nil {
		return Inconclusive, "no confidence interval: " + x.Warning
	}
	interval = fmt.Sprintf("%.0f%% CI %.2f–%.2f", x.CI.Confidence*100, x.CI.Lo, x.CI.Hi)
	lo, hi := x.CI.Lo, x.CI.Hi
	switch {
	case r.atMost && hi <= r.limit, !r.atMost && lo >= r.limit:
		return Holds, interval
	case r.atMost && lo > r.limit, !r.atMost && hi < r.limit:
		return DoesNotHold, interval
	}
	return Inconclusive, interval + fmt.Sprintf(", which contains %.2f", r.limit)
}
