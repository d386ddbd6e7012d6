package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/report"
)

// specFlags are the flags that choose what to run, shared by bench,
// compare, check and worker.
type specFlags struct {
	workloads, modes, workers *string
	runs, warmup, count       *int
	weak, quick               *bool
	examples                  *string
}

func addSpecFlags(fs *flag.FlagSet, workloads, modes, workers string) *specFlags {
	def := bench.DefaultSpec()
	return &specFlags{
		workloads: fs.String("workload", workloads, "workloads: countdown, io, release, asyncio (groups) or single ones such as io-socket"),
		modes:     fs.String("mode", modes, "how work is spread: serial, threads, goroutines, processes, subinterpreters"),
		workers:   fs.String("workers", workers, "worker counts"),
		runs:      fs.Int("runs", def.Runs, "counted runs per cell (after the warm-up)"),
		warmup:    fs.Int("warmup", def.Warmup, "uncounted warm-up runs per cell"),
		count:     fs.Int("count", 0, "countdown iterations in total (default 50,000,000; 5,000,000 with --quick)"),
		weak:      fs.Bool("weak", false, "weak scaling: every worker does the full amount (default: the total is split)"),
		quick:     fs.Bool("quick", false, "small counts for a fast look (the figures are noisier)"),
		examples:  fs.String("examples", "", "folder holding gilbench.py (default: found beside the binary or the working directory)"),
	}
}

func (f *specFlags) spec() (bench.Spec, error) {
	return buildSpec(*f.workloads, *f.modes, *f.workers, *f.runs, *f.warmup, *f.count, *f.weak, *f.quick)
}

// workerArgs passes the workload sizes on to `gilctl worker` processes.
func (f *specFlags) workerArgs() []string {
	args := []string{"--count", strconv.Itoa(*f.count)}
	if *f.weak {
		args = append(args, "--weak")
	}
	if *f.quick {
		args = append(args, "--quick")
	}
	if *f.examples != "" {
		args = append(args, "--examples", *f.examples)
	}
	return args
}

// matrixFlags are the flags of the commands that run a whole matrix and
// print results (bench, compare): what to run, how to print, where to save.
type matrixFlags struct {
	*specFlags
	save   *string
	format func() (string, report.Format, error)
}

func addMatrixFlags(fs *flag.FlagSet) *matrixFlags {
	return &matrixFlags{
		specFlags: addSpecFlags(fs, "countdown,io,release,asyncio", "serial,threads,goroutines,processes,subinterpreters", "1,2,4"),
		save:      fs.String("save", "", "also write every result as JSON to this file"),
		format:    formatFlags(fs),
	}
}

// parse parses args and returns the spec, the output format's name and
// writer, and -1; or the exit status when parsing ended the command.
func (m *matrixFlags) parse(cmd string, fs *flag.FlagSet, args []string, stderr io.Writer) (bench.Spec, string, report.Format, int) {
	if rc := parseFlags(fs, args); rc >= 0 {
		return bench.Spec{}, "", nil, rc
	}
	spec, err := m.spec()
	if err != nil {
		fmt.Fprintf(stderr, "gilctl %s: %v\n", cmd, err)
		return spec, "", nil, exitUsage
	}
	name, write, err := m.format()
	if err != nil {
		fmt.Fprintf(stderr, "gilctl %s: %v\n", cmd, err)
		return spec, "", nil, exitUsage
	}
	return spec, name, write, -1
}
