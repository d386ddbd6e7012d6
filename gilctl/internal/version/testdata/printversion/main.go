// Command printversion prints version.Current() as JSON, for the tests of
// the -ldflags stamp (package version's and scripts/gilkit-ldflags.sh's).
package main

import (
	"encoding/json"
	"os"

	"github.com/gilkit/gilkit/gilctl/internal/version"
)

func main() {
	_ = json.NewEncoder(os.Stdout).Encode(version.Current())
}
