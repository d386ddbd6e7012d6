package version_test

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// A test binary carries no VCS stamp: what is not recorded is "unknown".
func ExampleCurrent() {
	v := version.Current()
	fmt.Println(v.Revision)
	// Output: unknown
}
