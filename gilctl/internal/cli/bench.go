package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/report"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// matrixFlags are the flags of the commands that run a whole matrix and
// print results (bench, compare): what to run, how to print, where to save.
type matrixFlags struct {
	*specFlags
	save   *string
	format *formatFlags
}

func addMatrixFlags(fs *flag.FlagSet, workloads string) *matrixFlags {
	return &matrixFlags{
		specFlags: addSpecFlags(fs, specDefaults{workloads: workloads, modes: results.Join(results.Modes(), ","), workers: joinCounts(matrix.DefaultSpec().Workers)}),
		save:      addSaveFlag(fs),
		format:    addFormatFlags(fs, resultFormats),
	}
}

// parse parses args and returns the spec, the output format's name and
// -1; or the exit status when parsing ended the command.
func (m *matrixFlags) parse(fs *flagSet, args []string, s streams) (matrix.Spec, string, int) {
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return matrix.Spec{}, "", rc
	}
	spec, err := m.spec()
	if err != nil {
		return spec, "", fail(s, fs.Name(), exitUsage, err)
	}
	name, err := m.format.chosen(fs.FlagSet)
	if err != nil {
		return spec, "", fail(s, fs.Name(), exitUsage, err)
	}
	return spec, name, -1
}

func runBench(args []string, s streams) int {
	fs := newFlagSet(s, "bench", "bench [flags]", []string{
		"gilctl bench                                   # every workload and mode, workers 1,2,4",
		"gilctl bench --workload countdown --mode threads,goroutines --workers 1,2 --runs 6",
		"gilctl bench --quick --save out.json            # small counts; table on stdout, JSON in out.json",
		"gilctl bench --quick --retry-busy               # measure cells again while the machine is busy",
		"gilctl bench --script my_work.py --mode serial,threads,processes   # your own work(i, n)",
		"PYTHON_GIL=1 bin/gilctl-3.13t bench --workload countdown --gobench | benchstat -",
	})
	mf := addMatrixFlags(fs.FlagSet, groupsBut(results.ProbesGroup))
	spec, format, rc := mf.parse(fs, args, s)
	if rc >= 0 {
		return rc
	}
	if s.dryRun {
		return exitOK
	}
	return runInProcess("bench", spec, mf.runFlags, format, *mf.save, s)
}

// runInProcess drives spec on the interpreter this binary links (bench,
// probe) and writes the results.
func runInProcess(cmd string, spec matrix.Spec, rf *runFlags, format, save string, s streams) int {
	in, err := startWithExamples(*rf.examples)
	if err != nil {
		return fail(s, cmd, exitFailure, err)
	}
	defer in.Close()
	runner, err := bench.NewRunner(in, "", spec.Params)
	if err != nil {
		return fail(s, cmd, exitFailure, err)
	}
	defer runner.Close()
	runners := []matrix.Runner{runner}
	opt, err := rf.options(newProgress(s.err), spec, runners)
	if err != nil {
		return fail(s, cmd, exitUsage, err)
	}
	rs, err := matrix.Drive(runners, spec, opt)
	stampGilkit(rs, func(string) version.Info { return version.Current() })
	return emit(cmd, rs, err, format, save, s)
}

// emit writes results in the chosen format and, with save, as JSON to a
// file; after a failure it still writes what was measured, then the
// error. It returns the exit status.
func emit(cmd string, rs []results.Result, runErr error, format, save string, s streams) int {
	write, err := report.ByName(format)
	switch {
	case err != nil:
	case cmd == "compare" && format == "table":
		write = report.SideBySide // one column per interpreter
	case cmd == "probe" && format == "json":
		write = results.WriteProbeJSON // {"latency": [...], "io": [...]}
	}
	if err == nil && (runErr == nil || len(rs) > 0) {
		err = write(s.out, rs)
	}
	if err == nil && cmd == "compare" && (format == "table" || format == "markdown") && len(results.Workloads(rs)) > 0 {
		fmt.Fprintln(s.out)
		fmt.Fprint(s.out, check.SummaryText(check.Summarize(rs)))
	}
	if err == nil && save != "" && (runErr == nil || len(rs) > 0) {
		err = results.WriteFile(save, rs)
	}
	if err = errors.Join(runErr, err); err != nil {
		if runErr != nil && len(rs) > 0 {
			fmt.Fprintf(s.err, "gilctl %s: stopped after %d results (they are above", cmd, len(rs))
			if save != "" {
				fmt.Fprintf(s.err, " and in %s", save)
			}
			fmt.Fprintln(s.err, ")")
		}
		return fail(s, cmd, exitFailure, err)
	}
	return exitOK
}

// stampGilkit records with each result which gilkit measured it: gilkitOf
// its interpreter's runner (this binary, or a worker's binary).
func stampGilkit(rs []results.Result, gilkitOf func(interpreter string) version.Info) {
	for i := range rs {
		g := gilkitOf(rs[i].Interpreter.Name)
		rs[i].Gilkit = &g
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
