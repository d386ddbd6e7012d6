package worker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// Command is how to start gilctl for one interpreter: the words before the
// subcommand, and variables added to this process's environment. The
// worker is Argv + ["worker", flags...].
type Command struct {
	// Name is the interpreter's name in results ("3.13t+gil").
	Name string
	Argv []string
	Env  []string
}

// String shows the command as a shell would run it.
func (c Command) String() string {
	return strings.TrimSpace(strings.Join(c.Env, " ") + " " + strings.Join(c.Argv, " "))
}

// Client is a running worker process; it implements matrix.Runner.
type Client struct {
	cmd    Command
	proc   *exec.Cmd
	stdin  io.WriteCloser
	enc    *json.Encoder
	dec    *json.Decoder
	hello  Hello
	mu     sync.Mutex
	broken error
}

var _ matrix.Runner = (*Client)(nil)

// Start starts a worker: c.Argv + ["worker"] + args, its stderr passed to
// stderr. It returns once the worker has said who it is.
func Start(c Command, args []string, stderr io.Writer) (*Client, error) {
	if len(c.Argv) == 0 {
		return nil, fmt.Errorf("%s: empty command", c.Name)
	}
	argv := append(append(append([]string(nil), c.Argv...), "worker"), args...)
	proc := exec.Command(argv[0], argv[1:]...)
	proc.Env = append(os.Environ(), c.Env...)
	proc.Stderr = stderr
	stdin, err := proc.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := proc.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := proc.Start(); err != nil {
		return nil, fmt.Errorf("%s: starting %s: %w", c.Name, c, err)
	}
	w := &Client{cmd: c, proc: proc, stdin: stdin, enc: json.NewEncoder(stdin), dec: json.NewDecoder(stdout)}
	if err := w.dec.Decode(&w.hello); err != nil {
		w.Close()
		return nil, fmt.Errorf("%s: `%s worker` did not start (%v); its stderr is above. An old build? Run make build", c.Name, c, err)
	}
	switch {
	case w.hello.Error != "":
		w.Close()
		return nil, fmt.Errorf("%s: %s", c.Name, w.hello.Error)
	case w.hello.Protocol != Protocol:
		w.Close()
		return nil, fmt.Errorf("%s: the worker speaks protocol %d, this gilctl %d; rebuild both (make build)", c.Name, w.hello.Protocol, Protocol)
	}
	w.hello.Interpreter.Name = c.Name
	return w, nil
}

// Identity is the worker's interpreter (named as the Command) and machine.
func (w *Client) Identity() (results.Interpreter, machine.Machine) {
	return w.hello.Interpreter, w.hello.Machine
}

// Gilkit is the gilkit the worker was built from (unknown for a worker too
// old to say).
func (w *Client) Gilkit() version.Info {
	if g := w.hello.Gilkit; g != nil {
		return *g
	}
	return version.Info{Version: version.Unknown, Revision: version.Unknown}
}

// Unavailable asks the worker why a cell cannot run.
func (w *Client) Unavailable(c results.Cell) (string, error) {
	rep, err := w.call(Request{Op: OpUnavailable, Cell: c})
	if err != nil {
		return "", err
	}
	if rep.Error != "" {
		return "", fmt.Errorf("%w: %s", matrix.ErrBroken, rep.Error)
	}
	return rep.Skipped, nil
}

// RunOnce asks the worker for one run; the worker measures the machine's
// load around it.
func (w *Client) RunOnce(c results.Cell) (results.Sample, error) {
	rep, err := w.call(Request{Op: OpRun, Cell: c})
	switch {
	case err != nil:
		return results.Sample{}, err
	case rep.Error != "":
		return results.Sample{}, errors.New(rep.Error)
	case rep.Sample == nil:
		return results.Sample{}, fmt.Errorf("%w: the worker answered without a sample", matrix.ErrBroken)
	}
	return *rep.Sample, nil
}

// RunExample asks the worker to run a pyexamples file as `python FILE`
// would and returns what it printed.
func (w *Client) RunExample(file string) (string, error) {
	rep, err := w.call(Request{Op: OpExample, File: file})
	if err != nil {
		return "", err
	}
	if rep.Error != "" {
		return rep.Output, errors.New(rep.Error)
	}
	return rep.Output, nil
}

func (w *Client) call(req Request) (Reply, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.broken != nil {
		return Reply{}, w.broken
	}
	var rep Reply
	if err := w.enc.Encode(req); err != nil {
		w.broken = fmt.Errorf("%w: %s: the worker stopped (sending a request: %v); its stderr is above", matrix.ErrBroken, w.cmd.Name, err)
		return Reply{}, w.broken
	}
	if err := w.dec.Decode(&rep); err != nil {
		w.broken = fmt.Errorf("%w: %s: the worker stopped answering (%v); its stderr is above", matrix.ErrBroken, w.cmd.Name, err)
		return Reply{}, w.broken
	}
	return rep, nil
}

// Close ends the worker by closing its input and waits for it. Using the
// client afterwards gives matrix.ErrClosed.
func (w *Client) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if errors.Is(w.broken, matrix.ErrClosed) {
		return nil
	}
	w.broken = matrix.ErrClosed
	w.stdin.Close()
	_ = w.proc.Wait() // a failing worker already said why on stderr
	return nil
}
