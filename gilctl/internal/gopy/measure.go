package gopy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Options sizes one run of pyexamples/gopy_threads.py; zero values take the
// script's defaults.
type Options struct {
	Count int // total Go countdown
	MiB   int // total MiB of the hashlib control
	Runs  int // counted runs per cell
	// GIL sets PYTHON_GIL for the python process: "" leaves it as the
	// interpreter name says (NAME+gil runs with PYTHON_GIL=1), "0" or "1"
	// force it.
	GIL string
}

// Summary is a median with its spread, as gopy_threads.py reports it.
type Summary struct {
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Runs   []float64 `json:"runs"`
}

// Check is one comparison of the extension's result with Python's.
type Check struct {
	What   string `json:"what"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Probe is the stall probe of one call: how long the call took, the longest
// time another Python thread could not run meanwhile, and whether that was
// less than half the call (it ran: the call did not hold it up).
type Probe struct {
	CallS          float64 `json:"call_s"`
	LongestStallS  float64 `json:"longest_stall_s"`
	OtherThreadRan bool    `json:"other_thread_ran"`
}

// Workload holds the 1- and 2-thread walls of one workload ("1", "2") and
// the per-run speedups.
type Workload struct {
	WallS   map[string]Summary `json:"wall_s"`
	Speedup Summary            `json:"speedup"`
}

// Report is gopy_threads.py --json.
type Report struct {
	Python struct {
		Name         string  `json:"name"`
		Version      string  `json:"version"`
		Executable   string  `json:"executable"`
		FreeThreaded bool    `json:"free_threaded"`
		PythonGILEnv *string `json:"python_gil_env"`
	} `json:"python"`
	Machine struct {
		Cores           int      `json:"cores"`
		OthersBusyCores *Summary `json:"others_busy_cores"`
	} `json:"machine"`
	Module                 string              `json:"module"`
	GILEnabledBeforeImport bool                `json:"gil_enabled_before_import"`
	GILEnabledAfterImport  bool                `json:"gil_enabled_after_import"`
	ImportWarnings         []string            `json:"import_warnings"`
	Checks                 []Check             `json:"checks"`
	GILProbe               map[string]Probe    `json:"gil_probe"` // "go", "go+go", "sum"
	Count                  int                 `json:"count"`
	MiB                    int                 `json:"mib"`
	Workloads              map[string]Workload `json:"workloads"`
}

// Failed lists the checks that did not agree with Python.
func (r Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// Measure runs pyexamples/gopy_threads.py --json under b's python (a plain
// python process) with b's extension and returns its report. A report whose
// checks failed comes back together with an error naming them.
func (s Source) Measure(ctx context.Context, b Build, o Options) (Report, error) {
	args := []string{s.Example(), "--json", "--module-dir", b.Dir}
	if o.Count > 0 {
		args = append(args, strconv.Itoa(o.Count))
	}
	if o.MiB > 0 {
		args = append(args, "--mib", strconv.Itoa(o.MiB))
	}
	if o.Runs > 0 {
		args = append(args, "--runs", strconv.Itoa(o.Runs))
	}
	cmd := exec.CommandContext(ctx, b.Python, args...)
	cmd.Env = append(os.Environ(), s.Env...)
	gil := o.GIL
	if gil == "" && strings.HasSuffix(b.Name, "+gil") {
		gil = "1"
	}
	if gil != "" {
		cmd.Env = append(cmd.Env, "PYTHON_GIL="+gil)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == exampleUnavailable {
		return Report{}, &UnavailableError{Name: b.Name, Reason: strings.TrimSpace(stderr.String())}
	}
	var r Report
	if jerr := json.Unmarshal(stdout.Bytes(), &r); jerr != nil {
		if err == nil {
			err = jerr
		}
		return Report{}, fmt.Errorf("%s %s: %w\n%s", b.Python, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	if failed := r.Failed(); len(failed) > 0 {
		return r, fmt.Errorf("gopy extension for %s: %d checks disagree with Python, first: %s: %s",
			b.Name, len(failed), failed[0].What, failed[0].Detail)
	}
	if err != nil {
		return r, fmt.Errorf("%s %s: %w\n%s", b.Python, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return r, nil
}
