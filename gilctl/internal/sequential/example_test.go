package sequential_test

import (
	"fmt"
	"math"

	"github.com/gilkit/gilkit/gilctl/internal/sequential"
)

// A cell is measured until its speedup is known to lie on one side of
// 1.15: here three pairs of runs (serial time / threaded time) suffice.
func ExampleSequence() {
	s, err := sequential.NewStopper(sequential.DefaultRule, 3, 20)
	if err != nil {
		fmt.Println(err)
		return
	}
	q := s.Start(math.Log(1.15))
	for _, speedup := range []float64{1.97, 2.03, 1.99, 2.01} {
		q.Add(math.Log(speedup), 0, 0)
		st := q.State()
		if st.Stop != sequential.Going {
			fmt.Printf("%s after %d pairs: %.2fx, interval %.2f–%.2f, %s 1.15\n", st.Stop, st.N,
				math.Exp(st.Mean), math.Exp(st.Interval.Lo), math.Exp(st.Interval.Hi), st.Decision)
			break
		}
	}
	// Output:
	// decided after 3 pairs: 2.00x, interval 1.76–2.26, above 1.15
}

// Simulate measures the rule's promise: cells at the threshold.
func ExampleStopper_Simulate() {
	s, _ := sequential.NewStopper(sequential.DefaultRule, 3, 20)
	o := s.Simulate(sequential.Scenario{Effect: 0, Noise: sequential.Normal, Cells: 2000, Seed: 1})
	fmt.Printf("%.1f%% wrong verdicts at the threshold (at most %.0f%% promised)\n", 100*o.Wrong(), 100*s.Rule.Alpha)
	// Output:
	// 1.7% wrong verdicts at the threshold (at most 5% promised)
}
