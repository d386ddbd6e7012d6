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
	def := bench.DefaultSpec()
	workloads := fs.String("workload", "countdown,io,release,asyncio", "workloads: countdown, io, release, asyncio (groups) or single ones such as io-socket")
	modes := fs.String("mode", "serial,threads,goroutines,processes,subinterpreters", "how work is spread")
	workers := fs.String("workers", "1,2,4", "worker counts")
	runs := fs.Int("runs", def.Runs, "counted runs per cell (after the warm-up)")
	warmup := fs.Int("warmup", def.Warmup, "uncounted warm-up runs per cell")
	count := fs.Int("count", 0, "countdown iterations in total (default 50,000,000; 5,000,000 with --quick)")
	weak := fs.Bool("weak", false, "weak scaling: every worker does the full amount (default: the total is split)")
	quick := fs.Bool("quick", false, "small counts for a fast look (the figures are noisier)")
	save := fs.String("save", "", "also write every result as JSON to this file")
	examples := fs.String("examples", "", "folder holding gilbench.py (default: found beside the binary or the working directory)")
	format := formatFlags(fs)
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	spec, err := buildSpec(*workloads, *modes, *workers, *runs, *warmup, *count, *weak, *quick)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl bench: %v\n", err)
		return exitUsage
	}
	write, err := format()
	if err != nil {
		fmt.Fprintf(stderr, "gilctl bench: %v\n", err)
		return exitUsage
	}
	dir, err := findExamples(*examples)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl bench: %v\n", err)
		return exitFailure
	}
	in, err := embed.Start(embed.Config{Path: []string{dir}})
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
	if err := write(stdout, results); err != nil {
		fmt.Fprintf(stderr, "gilctl bench: writing results: %v\n", err)
		return exitFailure
	}
	if *save != "" {
		if err := saveJSON(*save, results); err != nil {
			fmt.Fprintf(stderr, "gilctl bench: %v\n", err)
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
// picks the writer after parsing.
func formatFlags(fs interface {
	String(name, value, usage string) *string
	Bool(name string, value bool, usage string) *bool
}) func() (report.Format, error) {
	name := fs.String("format", "table", "output: table, json, csv, markdown or gobench")
	short := map[string]*bool{}
	for _, f := range []string{"json", "csv", "markdown", "gobench"} {
		short[f] = fs.Bool(f, false, "same as --format "+f)
	}
	return func() (report.Format, error) {
		chosen := *name
		for f, set := range short {
			if *set {
				chosen = f
			}
		}
		w, ok := report.Formats[chosen]
		if !ok {
			return nil, fmt.Errorf("unknown format %q (table, json, csv, markdown, gobench)", chosen)
		}
		return w, nil
	}
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
