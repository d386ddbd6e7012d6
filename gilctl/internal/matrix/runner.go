package matrix

import (
	"errors"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Runner runs cells on one interpreter. Implementations are ready to use
// when their constructor returns (there is no separate set-up step to
// forget) and fail cleanly, with ErrClosed, once closed.
type Runner interface {
	// Identity is the interpreter and machine results are recorded
	// against.
	Identity() (results.Interpreter, machine.Machine)
	// Unavailable says why a cell cannot run here, or "". An error means
	// the runner cannot answer at all (it is broken or closed).
	Unavailable(c results.Cell) (reason string, err error)
	// RunOnce runs the cell once. Sample.Load should be measured where
	// the work runs (machine.Measure), since only there is "our own CPU
	// time" known. An error that wraps ErrBroken means the runner can
	// run nothing more; any other error fails only this cell.
	RunOnce(c results.Cell) (results.Sample, error)
}

// ErrBroken marks a runner that can no longer run anything (a worker
// process that died); the driver stops and returns what it measured.
var ErrBroken = errors.New("runner stopped working")

// ErrClosed is returned by a runner used after Close.
var ErrClosed = errors.New("runner is closed")
