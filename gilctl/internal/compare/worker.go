package compare

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
)

// Hello is the first line a worker writes: who it is.
type Hello struct {
	Interpreter bench.Interpreter `json:"interpreter"`
	Machine     machine.Machine   `json:"machine"`
	Error       string            `json:"error,omitempty"`
}

// Request asks a worker for one run of one cell.
type Request struct {
	Workload string `json:"workload"`
	Mode     string `json:"mode"`
	Workers  int    `json:"workers"`
}

// Reply is a worker's answer: a sample, or why the cell cannot run.
type Reply struct {
	Sample  *bench.Sample `json:"sample,omitempty"`
	Skipped string        `json:"skipped,omitempty"`
}

// Serve is the worker side (gilctl worker): it answers requests read from
// in, one JSON line each, using runner, until in ends.
func Serve(runner *bench.Runner, in io.Reader, out io.Writer) error {
	enc := json.NewEncoder(out)
	if err := runner.Setup(); err != nil {
		enc.Encode(Hello{Error: err.Error()})
		return err
	}
	defer runner.Teardown()
	interp, m := runner.Identity()
	if err := enc.Encode(Hello{Interpreter: interp, Machine: m}); err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReader(in))
	for {
		var req Request
		if err := dec.Decode(&req); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading a request: %w", err)
		}
		var rep Reply
		if reason := runner.Unavailable(req.Workload, req.Mode, req.Workers); reason != "" {
			rep.Skipped = reason
		} else if s, err := runner.RunOnce(req.Workload, req.Mode, req.Workers); err != nil {
			rep.Skipped = "failed: " + err.Error()
		} else {
			rep.Sample = &s
		}
		if err := enc.Encode(rep); err != nil {
			return err
		}
	}
}

// worker is the parent's handle on one worker process.
type worker struct {
	target Target
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	enc    *json.Encoder
	dec    *json.Decoder
	hello  Hello
}

func startWorker(t Target, args []string, stderr io.Writer) (*worker, error) {
	cmd := exec.Command(t.Binary, append([]string{"worker"}, args...)...)
	cmd.Env = append(os.Environ(), t.Env...)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", t.Binary, err)
	}
	w := &worker{target: t, cmd: cmd, stdin: stdin, enc: json.NewEncoder(stdin), dec: json.NewDecoder(stdout)}
	if err := w.dec.Decode(&w.hello); err != nil {
		w.stop()
		return nil, fmt.Errorf("%s (%s) did not start as a worker (%v): its stderr is above; an old build? run make build", t.Name, t.Binary, err)
	}
	if w.hello.Error != "" {
		w.stop()
		return nil, fmt.Errorf("%s: %s", t.Name, w.hello.Error)
	}
	w.hello.Interpreter.Name = t.Name
	return w, nil
}

func (w *worker) run(req Request) (Reply, error) {
	if err := w.enc.Encode(req); err != nil {
		return Reply{}, fmt.Errorf("%s: sending a request: %w", w.target.Name, err)
	}
	var rep Reply
	if err := w.dec.Decode(&rep); err != nil {
		return Reply{}, fmt.Errorf("%s: worker stopped answering (%v); its stderr is above", w.target.Name, err)
	}
	return rep, nil
}

// stop ends the worker by closing its input; its exit status is not
// interesting here (a failing worker already said why on stderr).
func (w *worker) stop() {
	w.stdin.Close()
	_ = w.cmd.Wait()
}
