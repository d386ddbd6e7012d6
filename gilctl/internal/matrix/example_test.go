package matrix_test

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// fixedRunner stands for any runner (an embedded interpreter, a worker
// process): it says what it cannot run and times a run.
type fixedRunner struct{ name string }

func (r fixedRunner) Identity() (results.Interpreter, machine.Machine) {
	return results.Interpreter{Name: r.name}, machine.Machine{Cores: 2}
}

func (r fixedRunner) Unavailable(c results.Cell) (string, error) {
	if c.Mode == "subinterpreters" {
		return "subinterpreters need CPython 3.12 or newer", nil
	}
	return "", nil
}

func (r fixedRunner) RunOnce(c results.Cell) (results.Sample, error) {
	return results.Sample{WallS: 1 / float64(c.Workers), CPUS: 1}, nil
}

// Drive runs every cell on every runner, interleaved, and returns one
// result per runner and cell, speedups filled.
func ExampleDrive() {
	spec := matrix.Spec{Workloads: []string{"countdown"}, Modes: []results.Mode{"serial", "subinterpreters"}, Workers: []int{2}, Runs: 6, Warmup: 1}
	rs, err := matrix.Drive([]matrix.Runner{fixedRunner{"a"}, fixedRunner{"b"}}, spec, matrix.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rs {
		if r.Skipped != "" {
			fmt.Printf("%s %s: skipped: %s\n", r.Interpreter.Name, r.Cell, r.Skipped)
			continue
		}
		fmt.Printf("%s %s: %.2f s median of %d runs\n", r.Interpreter.Name, r.Cell, r.WallS.Median, r.Runs)
	}
	// Output:
	// a countdown serial x2: 0.50 s median of 6 runs
	// b countdown serial x2: 0.50 s median of 6 runs
	// a countdown subinterpreters x2: skipped: subinterpreters need CPython 3.12 or newer
	// b countdown subinterpreters x2: skipped: subinterpreters need CPython 3.12 or newer
}
