package results_test

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Six runs give the median a 95% confidence interval (benchmath's
// distribution-free one); a speedup's interval comes from both medians'.
func ExampleRatioOf() {
	serial := results.Summarize([]float64{2.00, 2.02, 1.98, 2.01, 1.99, 2.00})
	threads := results.Summarize([]float64{1.05, 1.04, 1.06, 1.05, 1.03, 1.07})
	speedup := results.RatioOf(serial, threads)
	fmt.Printf("median %.2f s, interval %.2f–%.2f s\n", serial.Median, serial.CI.Lo, serial.CI.Hi)
	fmt.Printf("speedup %.2f, interval %.2f–%.2f\n", speedup.Value, speedup.CI.Lo, speedup.CI.Hi)
	// Output:
	// median 2.00 s, interval 1.98–2.02 s
	// speedup 1.90, interval 1.85–1.96
}

// Versions compare as numbers, not as strings.
func ExampleParseVersion() {
	a, _ := results.ParseVersion("3.9.18")
	b, _ := results.ParseVersion("3.10.0")
	fmt.Println(a.Compare(b), "3.9.18" < "3.10.0")
	// Output: -1 false
}
