package gopy_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/gopy"
)

// Build the extension for one interpreter and measure it in a plain python;
// an interpreter gopy cannot build for is reported with gopy's error. (Not
// run by go test: it needs a checkout, Go, apt and the interpreter.)
func ExampleSource_Ensure() {
	ctx := context.Background()
	src := gopy.Source{Root: "/path/to/gilkit"}
	b, err := src.Ensure(ctx, "3.12", "/root/.pyenv/versions/3.12.1")
	var un *gopy.UnavailableError
	if errors.As(err, &un) {
		fmt.Println("skipped:", un) // "gopy extension for 3.12: not available: <gopy's error>"
		return
	}
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	r, err := src.Measure(ctx, b, gopy.Options{Runs: 5})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("GIL after import %v, Go countdown speedup with 2 threads %.2fx\n",
		r.GILEnabledAfterImport, r.Workloads["go"].Speedup.Median)
}
