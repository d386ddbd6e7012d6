package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/compare"
	"github.com/gilkit/gilkit/gilctl/internal/report"
)

// runWorker serves single runs to a parent `compare` or `check` over
// stdin/stdout (JSON lines). Not meant to be typed by people.
func runWorker(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("worker", "worker [flags]   (started by compare and check)", []string{
		`echo '{"workload":"countdown","mode":"threads","workers":2}' | gilctl worker --quick`,
	}, stderr)
	sf := addSpecFlags(fs, "countdown", "serial", "1")
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	spec, err := sf.spec()
	if err != nil {
		fmt.Fprintf(stderr, "gilctl worker: %v\n", err)
		return exitUsage
	}
	in, err := startWithExamples(*sf.examples)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl worker: %v\n", err)
		return exitFailure
	}
	defer in.Close()
	if err := compare.Serve(&bench.Runner{In: in, Spec: spec}, os.Stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "gilctl worker: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// resolveTargets resolves --pythons against the gilctl-NAME binaries beside
// this one.
func resolveTargets(pythons string) ([]compare.Target, error) {
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
	return compare.Discover(filepath.Dir(exe), names)
}

func runCompare(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("compare", "compare [flags]", []string{
		"bin/gilctl-3.12 compare --quick                       # every bin/gilctl-* and 3.13t+gil",
		"gilctl compare --pythons 3.12,3.13t,3.13t+gil --workload countdown --mode threads,processes",
		"gilctl compare --quick --save out/compare.json --markdown > out/compare.md",
	}, stderr)
	pythons := fs.String("pythons", "", "interpreters to compare: names of gilctl-NAME binaries beside this one (NAME+gil runs NAME with PYTHON_GIL=1) or paths; default: all, with +gil variants")
	mf := addMatrixFlags(fs)
	spec, formatName, write, rc := mf.parse("compare", fs, args, stderr)
	if rc >= 0 {
		return rc
	}
	if formatName == "table" {
		write = report.SideBySide // one column per interpreter
	}
	targets, err := resolveTargets(*pythons)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl compare: %v\n", err)
		return exitUsage
	}
	results, err := compare.Run(targets, compare.Options{Spec: spec, WorkerArgs: mf.workerArgs(), Progress: stderr, Stderr: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "gilctl compare: %v\n", err)
		return exitFailure
	}
	return emit("compare", results, write, *mf.save, stdout, stderr)
}
