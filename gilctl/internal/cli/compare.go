package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
	"github.com/gilkit/gilkit/gilctl/internal/worker"
)

func runCompare(args []string, s streams) int {
	fs := newFlagSet(s, "compare", "compare [flags]", []string{
		"bin/gilctl-3.12 compare --quick                       # every bin/gilctl-* and 3.13t+gil",
		"gilctl compare --pythons 3.12,3.13t,3.13t+gil --workload countdown --mode threads,processes",
		"gilctl compare --quick --save out/compare.json --markdown > out/compare.md",
		"gilctl compare --pythons 3.12,3.13t,3.13t+gil --script my_work.py     # your own work(i, n), with a summary",
		"gilctl compare --workload probes --cpu-threads 0,1,2,4 --sweep 0.5ms,5ms,50ms",
	})
	pythons := fs.String("pythons", "", "interpreters to compare: names of gilctl-NAME binaries beside this one (NAME+gil runs NAME with PYTHON_GIL=1) or paths; default: all, with +gil variants")
	mf := addMatrixFlags(fs.FlagSet, groupsBut())
	spec, format, rc := mf.parse(fs, args, s)
	if rc >= 0 {
		return rc
	}
	usePlan(fs.FlagSet, &spec, comparePlan(*mf.quick))
	if s.dryRun {
		return exitOK // which interpreters --pythons names depends on this machine
	}
	cmds, err := resolveTargets(*pythons)
	if err != nil {
		return fail(s, "compare", exitUsage, err)
	}
	clients, err := startWorkers(cmds, mf.workerArgs(), s)
	if err != nil {
		return fail(s, "compare", exitFailure, err)
	}
	defer closeAll(clients)
	opt, err := mf.options(newProgress(s.err), spec, runners(clients))
	if err != nil {
		return fail(s, "compare", exitUsage, err)
	}
	rs, err := matrix.Drive(runners(clients), spec, opt)
	stampGilkit(rs, gilkitOf(clients))
	return emit("compare", rs, err, format, *mf.save, s)
}

// resolveTargets resolves --pythons against the gilctl-NAME binaries beside
// this one.
func resolveTargets(pythons string) ([]worker.Command, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range strings.Split(pythons, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return worker.Discover(filepath.Dir(exe), names)
}

// startWorkers starts one worker per command; on a failure it stops those
// already started.
func startWorkers(cmds []worker.Command, args []string, s streams) ([]*worker.Client, error) {
	var clients []*worker.Client
	for _, c := range cmds {
		w, err := worker.Start(c, args, s.err)
		if err != nil {
			closeAll(clients)
			return nil, err
		}
		clients = append(clients, w)
	}
	return clients, nil
}

func runners(clients []*worker.Client) []matrix.Runner {
	out := make([]matrix.Runner, len(clients))
	for i, c := range clients {
		out[i] = c
	}
	return out
}

// gilkitOf says which gilkit each worker was built from, by interpreter
// name.
func gilkitOf(clients []*worker.Client) func(string) version.Info {
	by := map[string]version.Info{}
	for _, c := range clients {
		interp, _ := c.Identity()
		by[interp.Name] = c.Gilkit()
	}
	return func(name string) version.Info {
		if g, ok := by[name]; ok {
			return g
		}
		return version.Info{Version: version.Unknown, Revision: version.Unknown}
	}
}

func closeAll(clients []*worker.Client) {
	for _, c := range clients {
		c.Close()
	}
}

// runWorker serves single runs to a parent `compare` or `check` over
// stdin/stdout (JSON lines, see package worker). Not meant to be typed by
// people.
func runWorker(args []string, s streams) int {
	fs := newFlagSet(s, "worker", "worker [flags]   (started by compare and check)", []string{
		`echo '{"op":"run","cell":{"workload":"countdown","mode":"threads","workers":2}}' | gilctl worker --quick`,
	})
	// The cells come with each request: the defaults only have to parse.
	sf := addSpecFlags(fs.FlagSet, specDefaults{workloads: results.Countdown, modes: string(results.Serial), workers: "1"})
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	spec, err := sf.spec()
	if err != nil {
		return fail(s, "worker", exitUsage, err)
	}
	if s.dryRun {
		return exitOK
	}
	dir, err := findExamples(*sf.examples)
	if err == nil {
		err = os.Setenv("GILKIT_EXAMPLES", dir) // for the examples this worker runs
	}
	in, err2 := startWithExamples(*sf.examples)
	if err == nil {
		err = err2
	}
	if err != nil {
		worker.ServeOneShot(s.out, err)
		return fail(s, "worker", exitFailure, err)
	}
	defer in.Close()
	runner, err := bench.NewRunner(in, "", spec.Params)
	if err != nil {
		worker.ServeOneShot(s.out, err)
		return fail(s, "worker", exitFailure, err)
	}
	defer runner.Close()
	srv := worker.Server{Runner: runner, RunExample: func(file string) (string, error) { return runExample(dir, file) }}
	if err := srv.Serve(s.in, s.out); err != nil {
		return fail(s, "worker", exitFailure, err)
	}
	return exitOK
}

// runExample runs pyexamples/FILE with `gilctl run` in a fresh process, as
// `python FILE` would run it, and returns what it printed.
func runExample(dir, file string) (string, error) {
	if file != filepath.Base(file) || !strings.HasSuffix(file, ".py") {
		return "", fmt.Errorf("%q is not a file name in pyexamples", file)
	}
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return output(exe, "run", filepath.Join(dir, file))
}
