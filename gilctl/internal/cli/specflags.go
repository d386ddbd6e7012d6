package cli

import (
	"flag"
	"strconv"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
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
