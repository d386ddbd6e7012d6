package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// The gopy workload (results.Gopy) is the Go countdown called through the
// extension module gopy builds (make gopy), from Python threads in a plain
// python process: the gopy extension carries its own Go runtime and must
// never be imported into gilkit's embedded interpreter. The runner starts
// one `python gilbench.py --serve` with the python binary of the
// interpreter it embeds (the same build, and the same PYTHON_GIL, since the
// process inherits the environment) and sends it one request per run;
// gilbench.py times each run itself, from when every thread is ready.

// gopyServer is the plain python process that runs the gopy workload.
type gopyServer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *strings.Builder
}

// gopyReply is one answer of gilbench.py --serve.
type gopyReply struct {
	Skipped   string       `json:"skipped"`
	Error     string       `json:"error"`
	Wall      float64      `json:"wall"`
	PerWorker [][2]float64 `json:"per_worker"`
}

// gopyUnavailable says why the gopy workload cannot run in mode: a mode the
// plain process does not offer, or what gilbench.py says there (no build,
// or gopy's own error for this interpreter). The answer is cached.
func (r *Runner) gopyUnavailable(mode results.Mode) string {
	if w, _ := results.LookupWorkload(results.Gopy); !w.RunsIn(mode) {
		return "gopy's extension runs in a plain python process that gilctl starts, with Python threads: modes " + results.Join(w.Modes, " and ") + " only"
	}
	if r.gopyWhy == nil {
		why := ""
		rep, err := r.gopyRequest(results.Serial, 1, 1)
		switch {
		case err != nil:
			why = err.Error()
		case rep.Skipped != "":
			why = rep.Skipped
		}
		r.gopyWhy = &why
	}
	return *r.gopyWhy
}

// runGopy times one run in the plain python process.
func (r *Runner) runGopy(mode results.Mode, workers int) (results.Sample, error) {
	rep, err := r.gopyRequest(mode, workers, r.params.Count)
	if err != nil {
		return results.Sample{}, err
	}
	if rep.Skipped != "" {
		return results.Sample{}, fmt.Errorf("gopy workload: %s", rep.Skipped)
	}
	s := results.Sample{WallS: rep.Wall}
	for _, w := range rep.PerWorker {
		s.PerWorker = append(s.PerWorker, results.WorkerStat{WallS: w[0], CPUS: w[1]})
	}
	return s, nil
}

// gopyRequest asks the python process (started on first use) for one run.
func (r *Runner) gopyRequest(mode results.Mode, workers, count int) (gopyReply, error) {
	if r.gopy == nil {
		srv, err := r.startGopyServer()
		if err != nil {
			return gopyReply{}, err
		}
		r.gopy = srv
	}
	req, err := json.Marshal(map[string]any{"workload": results.Gopy, "mode": mode, "workers": workers,
		"params": map[string]any{"count": count, "weak": r.params.Weak}})
	if err != nil {
		return gopyReply{}, err
	}
	if _, err := r.gopy.stdin.Write(append(req, '\n')); err != nil {
		return gopyReply{}, r.gopy.failed(err)
	}
	line, err := r.gopy.stdout.ReadBytes('\n')
	if err != nil {
		return gopyReply{}, r.gopy.failed(err)
	}
	var rep gopyReply
	if err := json.Unmarshal(line, &rep); err != nil {
		return gopyReply{}, fmt.Errorf("gilbench.py --serve answered %q: %w", line, err)
	}
	if rep.Error != "" {
		return gopyReply{}, fmt.Errorf("gopy workload in %s: %s", r.python, rep.Error)
	}
	return rep, nil
}

func (r *Runner) startGopyServer() (*gopyServer, error) {
	if r.python == "" {
		return nil, errors.New("the embedded interpreter does not know its python binary (sys.executable is empty)")
	}
	cmd := exec.Command(r.python, r.gilbench, "--serve")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	srv := &gopyServer{cmd: cmd, stdin: stdin, stdout: bufio.NewReader(stdout), stderr: &strings.Builder{}}
	cmd.Stderr = srv.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s %s --serve: %w", r.python, r.gilbench, err)
	}
	return srv, nil
}

// failed describes a broken pipe to the python process with what it
// printed on stderr.
func (s *gopyServer) failed(err error) error {
	return fmt.Errorf("the plain python running the gopy workload (%s) stopped: %w\n%s",
		strings.Join(s.cmd.Args, " "), err, strings.TrimSpace(s.stderr.String()))
}

// close ends the process: it exits when its stdin ends.
func (s *gopyServer) close() {
	s.stdin.Close()
	_ = s.cmd.Wait()
}

// moduleFile returns the file a module was imported from.
func moduleFile(py *embed.Py, mod *embed.Object) (string, error) {
	f, err := py.Attr(mod, "__file__")
	if err != nil {
		return "", err
	}
	defer f.Close()
	v, err := py.Go(f)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("module __file__ is %T, not a string", v)
	}
	return s, nil
}
