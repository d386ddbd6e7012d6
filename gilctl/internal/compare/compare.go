package compare

import (
	"fmt"
	"io"
	"strconv"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
)

// Options configure Run.
type Options struct {
	Spec       bench.Spec
	WorkerArgs []string  // flags passed to every `gilctl worker`
	Progress   io.Writer // progress lines, or nil
	Stderr     io.Writer // the workers' own stderr
}

// Run starts one worker per target and runs the matrix on all of them,
// interleaved: for every cell, warm-up runs on each, then run k on each in
// turn (the order rotates each run), so that drift hits all alike.
func Run(targets []Target, opt Options) ([]bench.Result, error) {
	var workers []*worker
	defer func() {
		for _, w := range workers {
			w.stop()
		}
	}()
	for _, t := range targets {
		w, err := startWorker(t, opt.WorkerArgs, opt.Stderr)
		if err != nil {
			return nil, err
		}
		workers = append(workers, w)
	}
	spec := opt.Spec
	total := len(spec.Workloads) * len(spec.Workers) * len(spec.Modes)
	var results []bench.Result
	k := 0
	for _, workload := range spec.Workloads {
		for _, n := range spec.Workers {
			for _, mode := range spec.Modes {
				k++
				req := Request{Workload: workload, Mode: mode, Workers: n}
				cell, err := runCell(workers, req, spec)
				if err != nil {
					return nil, err
				}
				if opt.Progress != nil {
					fmt.Fprintf(opt.Progress, "[%d/%d] %s %s x%d: %s\n", k, total, workload, mode, n, progressLine(cell))
				}
				results = append(results, cell...)
			}
		}
	}
	bench.AddSpeedups(results)
	return results, nil
}

func runCell(workers []*worker, req Request, spec bench.Spec) ([]bench.Result, error) {
	samples := make([][]bench.Sample, len(workers))
	skipped := make([]string, len(workers))
	for round := range spec.Warmup + spec.Runs {
		for j := range workers {
			i := (j + round) % len(workers) // rotate who goes first
			if skipped[i] != "" {
				continue
			}
			rep, err := workers[i].run(req)
			if err != nil {
				return nil, err
			}
			switch {
			case rep.Skipped != "":
				skipped[i] = rep.Skipped
			case round >= spec.Warmup:
				samples[i] = append(samples[i], *rep.Sample)
			}
		}
	}
	out := make([]bench.Result, len(workers))
	for i, w := range workers {
		res := bench.Result{Interpreter: w.hello.Interpreter, Machine: w.hello.Machine, Workload: req.Workload, Mode: req.Mode, Workers: req.Workers, Params: spec.Params}
		if skipped[i] != "" {
			res.Skipped = skipped[i]
		} else {
			bench.Summarize(&res, samples[i])
		}
		out[i] = res
	}
	return out, nil
}

func progressLine(cell []bench.Result) string {
	s := ""
	for i, r := range cell {
		if i > 0 {
			s += ", "
		}
		if r.Skipped != "" {
			s += r.Interpreter.Name + " skipped"
			continue
		}
		s += r.Interpreter.Name + " " + strconv.FormatFloat(r.WallS.Median, 'f', 3, 64) + " s"
	}
	return s
}
