package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/report"
)

func runBench(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", "bench [flags]", []string{
		"gilctl bench                                   # every workload and mode, workers 1,2,4",
		"gilctl bench --workload countdown --mode threads,goroutines --workers 1,2 --runs 3",
		"gilctl bench --quick --save out.json            # small counts; table on stdout, JSON in out.json",
		"PYTHON_GIL=1 bin/gilctl-3.13t bench --workload countdown --gobench | benchstat -",
	}, stderr)
	mf := addMatrixFlags(fs)
	spec, _, write, rc := mf.parse("bench", fs, args, stderr)
	if rc >= 0 {
		return rc
	}
	in, err := startWithExamples(*mf.examples)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl bench: %v\n", err)
		return exitFailure
	}
	defer in.Close()
	runner := &bench.Runner{In: in, Spec: spec, Progress: stderr}
	results, err := runner.Run()
	if err != nil {
		fmt.Fprintf(stderr, "gilctl bench: %v\n", err)
		return exitFailure
	}
	return emit("bench", results, write, *mf.save, stdout, stderr)
}

// emit writes results in the chosen format and, with save, as JSON to a
// file; it returns the exit status.
func emit(cmd string, results []bench.Result, write report.Format, save string, stdout, stderr io.Writer) int {
	if err := write(stdout, results); err != nil {
		fmt.Fprintf(stderr, "gilctl %s: writing results: %v\n", cmd, err)
		return exitFailure
	}
	if save != "" {
		if err := saveJSON(save, results); err != nil {
			fmt.Fprintf(stderr, "gilctl %s: %v\n", cmd, err)
			return exitFailure
		}
	}
	return exitOK
}

func saveJSON(path string, results []bench.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("saving results: %w", err)
	}
	if err := report.JSON(f, results); err != nil {
		f.Close()
		return fmt.Errorf("saving results to %s: %w", path, err)
	}
	return f.Close()
}

func buildSpec(workloads, modes, workers string, runs, warmup, count int, weak, quick bool) (bench.Spec, error) {
	spec := bench.DefaultSpec()
	var err error
	if spec.Workloads, err = bench.ParseWorkloads(workloads); err != nil {
		return spec, err
	}
	if spec.Modes, err = bench.ParseModes(modes); err != nil {
		return spec, err
	}
	if spec.Workers, err = bench.ParseWorkers(workers); err != nil {
		return spec, err
	}
	if len(spec.Workloads) == 0 || len(spec.Modes) == 0 || len(spec.Workers) == 0 {
		return spec, errors.New("--workload, --mode and --workers must each name at least one")
	}
	if runs < 1 || warmup < 0 {
		return spec, fmt.Errorf("--runs must be at least 1 and --warmup at least 0 (got %d and %d)", runs, warmup)
	}
	spec.Runs, spec.Warmup = runs, warmup
	if quick {
		spec.Params = bench.QuickParams(spec.Params)
	}
	if count < 0 {
		return spec, fmt.Errorf("--count must be positive, got %d", count)
	}
	if count > 0 {
		spec.Params.Count = count
	}
	spec.Params.Weak = weak
	return spec, nil
}

// formatFlags declares --format and its shorthands; the returned function
// picks the format's name and writer after parsing.
func formatFlags(fs interface {
	String(name, value, usage string) *string
	Bool(name string, value bool, usage string) *bool
}) func() (string, report.Format, error) {
	name := fs.String("format", "table", "output: table, json, csv, markdown or gobench")
	short := map[string]*bool{}
	for _, f := range []string{"json", "csv", "markdown", "gobench"} {
		short[f] = fs.Bool(f, false, "same as --format "+f)
	}
	return func() (string, report.Format, error) {
		chosen := *name
		for f, set := range short {
			if *set {
				chosen = f
			}
		}
		w, ok := report.Formats[chosen]
		if !ok {
			return "", nil, fmt.Errorf("unknown format %q (table, json, csv, markdown, gobench)", chosen)
		}
		return chosen, w, nil
	}
}

// startWithExamples starts the interpreter with pyexamples on sys.path.
func startWithExamples(flagValue string) (*embed.Interpreter, error) {
	dir, err := findExamples(flagValue)
	if err != nil {
		return nil, err
	}
	return embed.Start(embed.Config{Path: []string{dir}})
}

// findExamples locates the folder with gilbench.py: the flag, then
// $GILKIT_EXAMPLES, then pyexamples beside or above the binary, then in the
// working directory.
func findExamples(flagValue string) (string, error) {
	var candidates []string
	if flagValue != "" {
		candidates = append(candidates, flagValue)
	} else {
		if env := os.Getenv("GILKIT_EXAMPLES"); env != "" {
			candidates = append(candidates, env)
		}
		if exe, err := os.Executable(); err == nil {
			dir := filepath.Dir(exe)
			candidates = append(candidates, filepath.Join(dir, "pyexamples"), filepath.Join(dir, "..", "pyexamples"))
		}
		candidates = append(candidates, "pyexamples")
	}
	for _, c := range candidates {
		if _, err := os.Stat(filepath.Join(c, "gilbench.py")); err == nil {
			return filepath.Abs(c)
		}
	}
	return "", fmt.Errorf("cannot find pyexamples/gilbench.py (looked in %v); pass --examples DIR", candidates)
}
