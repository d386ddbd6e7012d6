package worker

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// Server answers requests with a local runner.
type Server struct {
	Runner matrix.Runner
	// RunExample runs a pyexamples file as `python FILE` would and returns
	// what it printed; nil refuses OpExample.
	RunExample func(file string) (string, error)
}

// Serve writes the Hello, then answers requests read from in, one JSON line
// each, until in ends.
func (s Server) Serve(in io.Reader, out io.Writer) error {
	enc := json.NewEncoder(out)
	interp, m := s.Runner.Identity()
	gilkit := version.Current()
	if err := enc.Encode(Hello{Protocol: Protocol, Interpreter: interp, Machine: m, Gilkit: &gilkit}); err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReader(in))
	for {
		var req Request
		if err := dec.Decode(&req); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading a request: %w", err)
		}
		if err := enc.Encode(s.answer(req)); err != nil {
			return fmt.Errorf("writing a reply: %w", err)
		}
	}
}

func (s Server) answer(req Request) Reply {
	switch req.Op {
	case OpUnavailable:
		reason, err := s.Runner.Unavailable(req.Cell)
		if err != nil {
			return Reply{Error: err.Error()}
		}
		return Reply{Skipped: reason}
	case OpRun:
		sample, err := s.Runner.RunOnce(req.Cell)
		if err != nil {
			return Reply{Error: err.Error()}
		}
		return Reply{Sample: &sample}
	case OpExample:
		if s.RunExample == nil {
			return Reply{Error: "this worker does not run examples"}
		}
		out, err := s.RunExample(req.File)
		if err != nil {
			return Reply{Output: out, Error: err.Error()}
		}
		return Reply{Output: out}
	}
	return Reply{Error: fmt.Sprintf("unknown op %q (want %s, %s or %s)", req.Op, OpUnavailable, OpRun, OpExample)}
}

// ServeOneShot is used by `gilctl worker` when its runner could not be made:
// it tells the parent why, in the place of the Hello.
func ServeOneShot(out io.Writer, err error) {
	_ = json.NewEncoder(out).Encode(Hello{Protocol: Protocol, Error: err.Error()})
}
