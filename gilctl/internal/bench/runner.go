package bench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
)

// Runner runs a Spec in one embedded interpreter. The interpreter must have
// pyexamples (gilbench.py) on sys.path.
type Runner struct {
	In       *embed.Interpreter
	Spec     Spec
	Name     string    // the interpreter's name in results (e.g. "3.13t+gil")
	Progress io.Writer // progress lines, or nil

	interp  Interpreter
	machine machine.Machine
	params  map[string]any
	echo    *echoServer
	file    string

	mod   *embed.Object // gilbench in the main interpreter
	fns   map[string]*embed.Object
	pyArg *embed.Object // params as a dict in the main interpreter
	pools map[int]*embed.Object
	subs  map[int][]*subWorker
	// why caches Unavailable: a compare worker asks before every run.
	why map[string]string
}

// subWorker is one subinterpreter prepared to run shares.
type subWorker struct {
	sub    *embed.Subinterpreter
	share  *embed.Object
	params *embed.Object
}

// Run runs every cell of the spec and returns the results, speedups filled.
func (r *Runner) Run() ([]Result, error) {
	if err := r.Setup(); err != nil {
		return nil, err
	}
	defer r.Teardown()
	var results []Result
	total := len(r.Spec.Workloads) * len(r.Spec.Modes) * len(r.Spec.Workers)
	k := 0
	for _, w := range r.Spec.Workloads {
		for _, workers := range r.Spec.Workers {
			for _, mode := range r.Spec.Modes {
				k++
				res := r.cell(w, mode, workers, fmt.Sprintf("[%d/%d]", k, total))
				results = append(results, res)
			}
		}
	}
	AddSpeedups(results)
	return results, nil
}

// Setup prepares the runner: interpreter identity, the echo server, the
// scratch file, gilbench imported. Run calls it; a caller driving RunOnce
// itself (gilctl worker) calls it first and Teardown at the end.
func (r *Runner) Setup() error {
	info, err := r.In.Info()
	if err != nil {
		return err
	}
	name := r.Name
	if name == "" {
		name = info.Name
	}
	r.interp = Interpreter{Name: name, Version: info.Version, FreeThreaded: info.FreeThreaded, GILEnabled: info.GILEnabled, SwitchInterval: info.SwitchInterval}
	r.machine = machine.Current()
	r.pools = map[int]*embed.Object{}
	r.subs = map[int][]*subWorker{}
	r.why = map[string]string{}

	if r.echo, err = startEchoServer(time.Duration(r.Spec.Params.SleepS * float64(time.Second))); err != nil {
		return fmt.Errorf("starting the loopback echo server: %w", err)
	}
	if r.file, err = scratchFile(4); err != nil {
		return fmt.Errorf("creating the file for io-file: %w", err)
	}
	r.params = paramsDict(r.Spec.Params, r.echo.port(), r.file)
	return r.In.Do(func(py *embed.Py) error {
		var err error
		if r.mod, err = py.Import("gilbench"); err != nil {
			return fmt.Errorf("importing pyexamples/gilbench.py: %w", err)
		}
		r.fns = map[string]*embed.Object{}
		for _, name := range []string{"share", "run_serial", "run_threads", "make_pool", "run_processes", "unavailable"} {
			if r.fns[name], err = py.Attr(r.mod, name); err != nil {
				return err
			}
		}
		r.pyArg, err = py.Object(r.params)
		return err
	})
}

// Identity is the interpreter and machine results are recorded against
// (valid after Setup).
func (r *Runner) Identity() (Interpreter, machine.Machine) { return r.interp, r.machine }

func paramsDict(p Params, port int, file string) map[string]any {
	return map[string]any{
		"count": p.Count, "io_ops": p.IOOps, "sleep_s": p.SleepS, "mib": p.MiB,
		"numpy_n": p.NumpyN, "numpy_reps": p.NumpyReps, "weak": p.Weak,
		"port": port, "file": file,
	}
}

func scratchFile(mib int) (string, error) {
	f, err := os.CreateTemp("", "gilbench-*.bin")
	if err != nil {
		return "", err
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	for range mib {
		if _, err := f.Write(chunk); err != nil {
			return "", err
		}
	}
	return f.Name(), nil
}

// Teardown stops worker processes, subinterpreters and the echo server.
func (r *Runner) Teardown() {
	_ = r.In.Do(func(py *embed.Py) error {
		for _, pool := range r.pools {
			if term, err := py.Attr(pool, "terminate"); err == nil {
				_, _ = py.Call(term)
			}
		}
		return nil
	})
	for _, subs := range r.subs {
		for _, s := range subs {
			s.sub.Close()
		}
	}
	if r.echo != nil {
		r.echo.close()
	}
	if r.file != "" {
		os.Remove(r.file)
	}
}

func (r *Runner) progress(format string, args ...any) {
	if r.Progress != nil {
		fmt.Fprintf(r.Progress, format, args...)
	}
}

// cell runs one workload/mode/workers combination: warm-up, then the
// counted runs.
func (r *Runner) cell(workload, mode string, workers int, tag string) Result {
	res := Result{Interpreter: r.interp, Machine: r.machine, Workload: workload, Mode: mode, Workers: workers, Params: r.Spec.Params}
	label := fmt.Sprintf("%s %s %s %s x%d", tag, r.interp.Name, workload, mode, workers)
	if reason := r.Unavailable(workload, mode, workers); reason != "" {
		res.Skipped = reason
		r.progress("%s: skipped: %s\n", label, reason)
		return res
	}
	var samples []Sample
	start := time.Now()
	for i := range r.Spec.Warmup + r.Spec.Runs {
		s, err := r.RunOnce(workload, mode, workers)
		if err != nil {
			res.Skipped = "failed: " + err.Error()
			r.progress("%s: %s\n", label, res.Skipped)
			return res
		}
		if i >= r.Spec.Warmup {
			samples = append(samples, s)
		}
	}
	Summarize(&res, samples)
	r.progress("%s: %.3f s median of %d runs (%.1f s)\n", label, res.WallS.Median, res.Runs, time.Since(start).Seconds())
	return res
}

// Unavailable says why a cell cannot run here, or "". The answer is
// computed once per cell.
func (r *Runner) Unavailable(workload, mode string, workers int) string {
	key := fmt.Sprintf("%s|%s|%d", workload, mode, workers)
	if reason, ok := r.why[key]; ok {
		return reason
	}
	reason := r.unavailable(workload, mode, workers)
	r.why[key] = reason
	return reason
}

func (r *Runner) unavailable(workload, mode string, workers int) string {
	var reason string
	err := r.In.Do(func(py *embed.Py) error {
		o, err := py.Call(r.fns["unavailable"], workload)
		if err != nil {
			return err
		}
		v, err := py.Go(o)
		if s, ok := v.(string); ok {
			reason = s
		}
		return err
	})
	if err != nil {
		return "checking availability: " + err.Error()
	}
	if reason != "" || mode != "subinterpreters" {
		return reason
	}
	if _, err := r.subWorkers(workers); err != nil {
		return err.Error()
	}
	return ""
}

// cpuTime is this process's user+system CPU time in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// RunOnce times one run of one cell.
func (r *Runner) RunOnce(workload, mode string, workers int) (Sample, error) {
	cpu0 := cpuTime()
	var s Sample
	var err error
	switch mode {
	case "serial", "threads":
		s, err = r.runPython("run_"+mode, nil, workload, workers)
	case "processes":
		var pool *embed.Object
		if pool, err = r.pool(workers); err == nil {
			s, err = r.runPython("run_processes", pool, workload, workers)
		}
	case "goroutines":
		s, err = r.runGoroutines(workload, workers)
	case "subinterpreters":
		s, err = r.runSubinterpreters(workload, workers)
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	s.CPUS = cpuTime() - cpu0
	if mode == "processes" {
		for _, w := range s.PerWorker {
			s.CPUS += w.CPUS // the worker processes' CPU
		}
	}
	return s, err
}

// runPython calls a gilbench driver that times itself and returns
// (wall, [(wall, cpu), ...]).
func (r *Runner) runPython(fn string, pool *embed.Object, workload string, workers int) (Sample, error) {
	var s Sample
	err := r.In.Do(func(py *embed.Py) error {
		args := []any{workload, r.pyArg, workers}
		if pool != nil {
			args = append([]any{pool}, args...)
		}
		o, err := py.Call(r.fns[fn], args...)
		if err != nil {
			return err
		}
		defer o.Close()
		v, err := py.Go(o)
		if err != nil {
			return err
		}
		s, err = parseDriverResult(v)
		return err
	})
	return s, err
}

func parseDriverResult(v any) (Sample, error) {
	t, ok := v.(embed.Tuple)
	if !ok || len(t) != 2 {
		return Sample{}, fmt.Errorf("gilbench returned %v, want (wall, per_worker)", v)
	}
	wall, _ := t[0].(float64)
	per, _ := t[1].([]any)
	s := Sample{WallS: wall}
	for _, p := range per {
		w, err := parseShare(p)
		if err != nil {
			return Sample{}, err
		}
		s.PerWorker = append(s.PerWorker, w)
	}
	return s, nil
}

func parseShare(v any) (WorkerStat, error) {
	t, ok := v.(embed.Tuple)
	if !ok || len(t) != 2 {
		return WorkerStat{}, fmt.Errorf("gilbench share returned %v, want (wall, cpu)", v)
	}
	w, _ := t[0].(float64)
	c, _ := t[1].(float64)
	return WorkerStat{WallS: w, CPUS: c}, nil
}

func (r *Runner) pool(workers int) (*embed.Object, error) {
	if p := r.pools[workers]; p != nil {
		return p, nil
	}
	err := r.In.Do(func(py *embed.Py) error {
		p, err := py.Call(r.fns["make_pool"], workers)
		r.pools[workers] = p
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("starting %d worker processes: %w", workers, err)
	}
	return r.pools[workers], nil
}

// runParallel releases n workers at once and times until the slowest is
// done. Each worker returns its share's (wall, cpu).
func runParallel(n int, worker func(i int) (WorkerStat, error)) (Sample, error) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	per := make([]WorkerStat, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			ready.Done()
			<-start
			per[i], errs[i] = worker(i)
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	wg.Wait()
	return Sample{WallS: time.Since(t0).Seconds(), PerWorker: per}, errors.Join(errs...)
}

func (r *Runner) runGoroutines(workload string, workers int) (Sample, error) {
	return runParallel(workers, func(i int) (WorkerStat, error) {
		var ws WorkerStat
		err := r.In.Do(func(py *embed.Py) error {
			var err error
			ws, err = callShare(py, r.fns["share"], r.pyArg, workload, i, workers)
			return err
		})
		return ws, err
	})
}

// callShare runs gilbench.share for worker i in py's interpreter.
func callShare(py *embed.Py, share, params *embed.Object, workload string, i, workers int) (WorkerStat, error) {
	o, err := py.Call(share, workload, params, i, workers)
	if err != nil {
		return WorkerStat{}, err
	}
	defer o.Close()
	v, err := py.Go(o)
	if err != nil {
		return WorkerStat{}, err
	}
	return parseShare(v)
}

// subWorkers returns n subinterpreters with gilbench imported, creating
// them on first use.
func (r *Runner) subWorkers(n int) ([]*subWorker, error) {
	if subs, ok := r.subs[n]; ok {
		return subs, nil
	}
	paths := r.sysPath()
	var subs []*subWorker
	for range n {
		s, err := r.In.NewSubinterpreter()
		if err != nil {
			return nil, err
		}
		w := &subWorker{sub: s}
		subs = append(subs, w)
		err = s.Do(func(py *embed.Py) error {
			// A subinterpreter starts with the default sys.path: give it
			// the main interpreter's entries, which include pyexamples.
			prepend, err := py.Eval("lambda p: __import__('sys').path.__setitem__(slice(0, 0), [x for x in p if x not in __import__('sys').path])")
			if err != nil {
				return err
			}
			if _, err := py.Call(prepend, paths); err != nil {
				return err
			}
			mod, err := py.Import("gilbench")
			if err != nil {
				return fmt.Errorf("importing gilbench in a subinterpreter: %w", err)
			}
			if w.share, err = py.Attr(mod, "share"); err != nil {
				return err
			}
			w.params, err = py.Object(r.params)
			return err
		})
		if err != nil {
			for _, w := range subs {
				w.sub.Close()
			}
			return nil, err
		}
	}
	r.subs[n] = subs
	return subs, nil
}

func (r *Runner) sysPath() []any {
	var out []any
	_ = r.In.Do(func(py *embed.Py) error {
		o, err := py.Eval("__import__('sys').path")
		if err != nil {
			return err
		}
		v, err := py.Go(o)
		if l, ok := v.([]any); ok {
			out = l
		}
		return err
	})
	return out
}

func (r *Runner) runSubinterpreters(workload string, workers int) (Sample, error) {
	subs, err := r.subWorkers(workers)
	if err != nil {
		return Sample{}, err
	}
	return runParallel(workers, func(i int) (WorkerStat, error) {
		var ws WorkerStat
		w := subs[i]
		err := w.sub.Do(func(py *embed.Py) error {
			var err error
			ws, err = callShare(py, w.share, w.params, workload, i, workers)
			return err
		})
		return ws, err
	})
}
