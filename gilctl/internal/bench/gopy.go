package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// GopyWorkload is the Go countdown called through the extension module gopy
// builds (make gopy), from Python threads in a plain python process: the
// gopy extension carries its own Go runtime and must never be imported into
// gilkit's embedded interpreter, so each run starts
// `python gilbench.py gopy MODE N --json` with the python binary of the
// interpreter this runner embeds (the same build, and PYTHON_GIL, since the
// process inherits the environment).
const GopyWorkload = "gopy"

// gopyModes are the modes a plain python process offers this workload.
var gopyModes = []string{"serial", "threads"}

// gopyUnavailable says why the gopy workload cannot run in mode: a mode the
// plain process does not offer, or what gilbench.py says there (no build,
// or gopy's own error for this interpreter). The python process is asked
// once per runner.
func (r *Runner) gopyUnavailable(mode string) string {
	if mode != "serial" && mode != "threads" {
		return fmt.Sprintf("gopy's extension runs in a plain python process that gilctl starts, with Python threads: modes %s only", strings.Join(gopyModes, " and "))
	}
	if r.gopyWhy == nil {
		why := ""
		out, err := r.gilbenchJSON("serial", 1, 1)
		switch {
		case err != nil:
			why = err.Error()
		case out.Skipped != "":
			why = out.Skipped
		}
		r.gopyWhy = &why
	}
	return *r.gopyWhy
}

// gilbenchOutput is gilbench.py --json.
type gilbenchOutput struct {
	Skipped   string       `json:"skipped"`
	Wall      float64      `json:"wall"`
	PerWorker [][2]float64 `json:"per_worker"`
}

// gilbenchJSON runs one timed run of the gopy workload in a plain python.
func (r *Runner) gilbenchJSON(mode string, workers, count int) (gilbenchOutput, error) {
	if r.python == "" {
		return gilbenchOutput{}, errors.New("the embedded interpreter does not know its python binary (sys.executable is empty)")
	}
	args := []string{r.gilbench, GopyWorkload, mode, strconv.Itoa(workers), "--count", strconv.Itoa(count), "--json"}
	if r.params.Weak {
		args = append(args, "--weak")
	}
	cmd := exec.Command(r.python, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var out gilbenchOutput
	if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil || err != nil {
		return gilbenchOutput{}, fmt.Errorf("%s %s: %w\n%s", r.python, strings.Join(args, " "), errors.Join(err, jerr), strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// runGopy times one run in a plain python process; gilbench.py times it
// itself (from when every thread is ready), so starting python and
// importing the extension are not counted.
func (r *Runner) runGopy(mode string, workers int) (results.Sample, error) {
	out, err := r.gilbenchJSON(mode, workers, r.params.Count)
	if err != nil {
		return results.Sample{}, err
	}
	if out.Skipped != "" {
		return results.Sample{}, fmt.Errorf("gopy workload: %s", out.Skipped)
	}
	s := results.Sample{WallS: out.Wall}
	for _, w := range out.PerWorker {
		s.PerWorker = append(s.PerWorker, results.WorkerStat{WallS: w[0], CPUS: w[1]})
	}
	return s, nil
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
