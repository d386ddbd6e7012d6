package bench

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/provenance"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Runner runs cells of the matrix in one embedded interpreter (an
// implementation of matrix.Runner). The interpreter must have pyexamples
// (gilbench.py) on sys.path. Make one with NewRunner; Close it when done.
type Runner struct {
	in      *embed.Interpreter
	params  results.Params
	interp  results.Interpreter
	machine machine.Machine
	pyDict  map[string]any
	echo    *echoServer
	file    string
	// probeEcho answers the I/O probe after Params.ProbeIODelayS.
	probeEcho *echoServer
	probeWarm bool // the goroutine probe's threads have their thread states

	mu     sync.Mutex // guards closed; runs are not concurrent
	closed bool

	mod   *embed.Object            // gilbench in the main interpreter
	fns   map[string]*embed.Object // gilbench's and gilprobe's functions
	pyArg *embed.Object            // params as a dict in the main interpreter
	pools map[int]*embed.Object
	subs  map[int][]*subWorker
	// why caches Unavailable: the driver asks once per cell and attempt.
	why map[results.Cell]string

	// The gopy workload runs pyexamples/gilbench.py under the plain python
	// of this interpreter (gopy.go).
	python   string // sys.executable: the python binary of the linked libpython
	gilbench string // gilbench.py's path
	gopyWhy  *string
	gopy     *gopyServer // started on first use
}

var _ matrix.Runner = (*Runner)(nil)

// subWorker is one subinterpreter prepared to run shares.
type subWorker struct {
	sub         *embed.Subinterpreter
	share       *embed.Object
	unavailable *embed.Object
	params      *embed.Object
}

// NewRunner prepares a runner: the interpreter's identity (recorded under
// name, or the interpreter's own name when name is ""), the loopback echo
// server, the scratch file, gilbench imported.
func NewRunner(in *embed.Interpreter, name string, params results.Params) (*Runner, error) {
	info, err := in.Info()
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = info.Name
	}
	if err := RegisterGoFuncs(in); err != nil {
		return nil, err
	}
	id, err := Identity(info, name)
	if err != nil {
		return nil, err
	}
	r := &Runner{
		in:      in,
		params:  params,
		interp:  id,
		machine: machine.Current(),
		pools:   map[int]*embed.Object{},
		subs:    map[int][]*subWorker{},
		why:     map[results.Cell]string{},
	}
	if r.echo, err = startEchoServer(time.Duration(params.SleepS * float64(time.Second))); err != nil {
		return nil, fmt.Errorf("starting the loopback echo server: %w", err)
	}
	if r.probeEcho, err = startEchoServer(seconds(params.ProbeIODelayS)); err != nil {
		r.Close()
		return nil, fmt.Errorf("starting the I/O probe's echo server: %w", err)
	}
	if r.file, err = scratchFile(4); err != nil {
		r.Close()
		return nil, fmt.Errorf("creating the file for io-file: %w", err)
	}
	r.pyDict = paramsDict(params, r.echo.port(), r.file)
	r.python = info.Executable
	err = in.Do(func(py *embed.Py) error {
		var err error
		if r.mod, err = py.Import("gilbench"); err != nil {
			return fmt.Errorf("importing pyexamples/gilbench.py: %w", err)
		}
		if r.gilbench, err = moduleFile(py, r.mod); err != nil {
			return err
		}
		r.fns = map[string]*embed.Object{}
		for _, name := range drivers() {
			if r.fns[name], err = py.Attr(r.mod, name); err != nil {
				return err
			}
		}
		probe, err := py.Import("gilprobe")
		if err != nil {
			return fmt.Errorf("importing pyexamples/gilprobe.py: %w", err)
		}
		for _, name := range []string{"noop", "cpu_load", "probe_thread", "probe_io"} {
			if r.fns[name], err = py.Attr(probe, name); err != nil {
				return err
			}
		}
		r.pyArg, err = py.Object(r.pyDict)
		return err
	})
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Identity converts embed's facts, and the provisioning record in the
// interpreter's prefix, into the identity results carry.
func Identity(info embed.Info, name string) (results.Interpreter, error) {
	id := results.Interpreter{Name: name, Version: info.Version, FreeThreaded: info.FreeThreaded,
		GILEnabled: info.GILEnabled, SwitchInterval: info.SwitchInterval}
	s, err := provenance.Read(info.Prefix)
	if err != nil {
		return results.Interpreter{}, err
	}
	if s != nil {
		id.Source = &results.Source{Version: s.Version, Tarball: s.Tarball, SHA256: s.SHA256, Origin: s.Origin}
		if len(s.Packages) > 0 {
			id.Source.Package = s.Packages[0].Name + " " + s.Packages[0].Version
		}
	}
	return id, nil
}

// Identity is the interpreter and machine results are recorded against.
func (r *Runner) Identity() (results.Interpreter, machine.Machine) { return r.interp, r.machine }

func paramsDict(p results.Params, port int, file string) map[string]any {
	scripts := map[string]any{}
	for name, path := range p.Scripts {
		scripts[name] = path
	}
	return map[string]any{
		"count": p.Count, "io_ops": p.IOOps, "sleep_s": p.SleepS, "mib": p.MiB,
		"numpy_n": p.NumpyN, "numpy_reps": p.NumpyReps, "weak": p.Weak,
		"port": port, "file": file, "scripts": scripts,
	}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

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

// Close stops worker processes, subinterpreters and the echo server. It
// may be called more than once; a closed runner runs nothing.
func (r *Runner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	if len(r.pools) > 0 {
		_ = r.in.Do(func(py *embed.Py) error {
			for _, pool := range r.pools {
				if term, err := py.Attr(pool, "terminate"); err == nil {
					_, _ = py.Call(term)
				}
			}
			return nil
		})
	}
	for _, subs := range r.subs {
		for _, s := range subs {
			s.sub.Close()
		}
	}
	if r.gopy != nil {
		r.gopy.close()
	}
	for _, e := range []*echoServer{r.echo, r.probeEcho} {
		if e != nil {
			e.close()
		}
	}
	if r.file != "" {
		os.Remove(r.file)
	}
	return nil
}

func (r *Runner) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// Unavailable says why a cell cannot run here, or "". The answer is
// computed once per cell.
func (r *Runner) Unavailable(c results.Cell) (string, error) {
	if r.isClosed() {
		return "", matrix.ErrClosed
	}
	if reason, ok := r.why[c]; ok {
		return reason, nil
	}
	reason := r.unavailable(c)
	r.why[c] = reason
	return reason, nil
}

func (r *Runner) unavailable(c results.Cell) string {
	if c.IsProbe() {
		return probeUnavailable(c)
	}
	if !c.Mode.Known() {
		return c.Mode.Unavailable(r.interp)
	}
	if c.Workload == results.Gopy {
		return r.gopyUnavailable(c.Mode)
	}
	reason, err := askWhy(r.in.Do, r.fns["unavailable"], c.Workload, r.pyArg)
	if err != nil {
		return "checking availability: " + err.Error()
	}
	if reason != "" {
		return reason
	}
	return r.modeUnavailable(c)
}

// placeDependent reports whether a workload may run in the main
// interpreter but not in a worker process or a subinterpreter: a user's
// script (importable here, maybe not there), or one that calls the module
// gilkit, which only the main interpreter has.
func (r *Runner) placeDependent(workload string) bool {
	if _, script := r.params.Scripts[workload]; script {
		return true
	}
	w, ok := results.LookupWorkload(workload)
	return ok && w.MainInterpreterOnly
}

// processesUnavailable asks the worker processes whether they can run the
// workload: a user's script must be importable there too.
func (r *Runner) processesUnavailable(workload string, workers int) string {
	if !r.placeDependent(workload) {
		return ""
	}
	pool, err := r.pool(workers)
	if err != nil {
		return err.Error()
	}
	reason, err := askWhy(r.in.Do, r.fns["processes_unavailable"], pool, workload, r.pyArg)
	if err != nil {
		return "checking the worker processes: " + err.Error()
	}
	return reason
}

// subinterpretersUnavailable says why subinterpreters cannot run the
// workload: none can be made here (embed says why; results.Subinterpreters
// already refuses CPython before 3.12), or a script cannot be imported
// there (an extension module without subinterpreter support, for instance).
func (r *Runner) subinterpretersUnavailable(workload string, workers int) string {
	subs, err := r.subWorkers(workers)
	if err != nil {
		return err.Error()
	}
	if !r.placeDependent(workload) {
		return ""
	}
	reason, err := askWhy(subs[0].sub.Do, subs[0].unavailable, workload, subs[0].params)
	if err != nil {
		return "checking a subinterpreter: " + err.Error()
	}
	return reason
}

// callGo calls fn with args in py's interpreter and returns the result
// converted to Go.
func callGo(py *embed.Py, fn *embed.Object, args ...any) (any, error) {
	o, err := py.Call(fn, args...)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	return py.Go(o)
}

// askWhy calls a Python function that says why something cannot run (a
// str) or returns None when it can, attached with do (an interpreter's or
// a subinterpreter's Do).
func askWhy(do func(func(*embed.Py) error) error, fn *embed.Object, args ...any) (string, error) {
	var why string
	err := do(func(py *embed.Py) error {
		v, err := callGo(py, fn, args...)
		why, _ = v.(string)
		return err
	})
	return why, err
}

// cpuTime is this process's user+system CPU time in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// RunOnce times one run of one cell and measures what the rest of the
// machine did meanwhile.
func (r *Runner) RunOnce(c results.Cell) (results.Sample, error) {
	if r.isClosed() {
		return results.Sample{}, matrix.ErrClosed
	}
	var s results.Sample
	var cpu float64
	load, err := machine.Measure(func() error {
		// CPU time is taken inside the measurement, so that reading /proc
		// for it does not count as the run's own work.
		cpu0 := cpuTime()
		var err error
		s, err = r.run(c)
		cpu = cpuTime() - cpu0
		return err
	})
	s.Load = load
	s.CPUS = cpu
	if c.Mode.OwnProcesses() || c.Workload == results.Gopy {
		for _, w := range s.PerWorker {
			s.CPUS += w.CPUS // the worker processes' CPU
		}
	}
	return s, err
}

func (r *Runner) run(c results.Cell) (results.Sample, error) {
	if c.IsProbe() {
		return r.runProbe(c)
	}
	if c.Workload == results.Gopy {
		return r.runGopy(c.Mode, c.Workers)
	}
	return r.runMode(c)
}

// runProcesses calls the processes driver with a pool of worker
// processes, started on first use.
func (r *Runner) runProcesses(workload string, workers int) (results.Sample, error) {
	pool, err := r.pool(workers)
	if err != nil {
		return results.Sample{}, err
	}
	return r.runPython(results.Processes.Driver(), pool, workload, workers)
}

// runPython calls a gilbench driver that times itself and returns
// (wall, [(wall, cpu), ...]).
func (r *Runner) runPython(fn string, pool *embed.Object, workload string, workers int) (results.Sample, error) {
	var s results.Sample
	err := r.in.Do(func(py *embed.Py) error {
		args := []any{workload, r.pyArg, workers}
		if pool != nil {
			args = append([]any{pool}, args...)
		}
		v, err := callGo(py, r.fns[fn], args...)
		if err != nil {
			return err
		}
		s, err = parseDriverResult(v)
		return err
	})
	return s, err
}

func parseDriverResult(v any) (results.Sample, error) {
	t, ok := v.(embed.Tuple)
	if !ok || len(t) != 2 {
		return results.Sample{}, fmt.Errorf("gilbench returned %v, want (wall, per_worker)", v)
	}
	wall, _ := t[0].(float64)
	per, _ := t[1].([]any)
	s := results.Sample{WallS: wall}
	for _, p := range per {
		w, err := parseShare(p)
		if err != nil {
			return results.Sample{}, err
		}
		s.PerWorker = append(s.PerWorker, w)
	}
	return s, nil
}

func parseShare(v any) (results.WorkerStat, error) {
	t, ok := v.(embed.Tuple)
	if !ok || len(t) != 2 {
		return results.WorkerStat{}, fmt.Errorf("gilbench share returned %v, want (wall, cpu)", v)
	}
	w, _ := t[0].(float64)
	c, _ := t[1].(float64)
	return results.WorkerStat{WallS: w, CPUS: c}, nil
}

func (r *Runner) pool(workers int) (*embed.Object, error) {
	if p := r.pools[workers]; p != nil {
		return p, nil
	}
	err := r.in.Do(func(py *embed.Py) error {
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
func runParallel(n int, worker func(i int) (results.WorkerStat, error)) (results.Sample, error) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	per := make([]results.WorkerStat, n)
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
	return results.Sample{WallS: time.Since(t0).Seconds(), PerWorker: per}, errors.Join(errs...)
}

// runGoroutines runs each share in a goroutine attached through embed.
// Each records how long it waited to attach: Do attaches on the first
// call, so the time to the end of a call to an empty function is the
// wait (plus ~100 ns for the call).
func (r *Runner) runGoroutines(workload string, workers int) (results.Sample, error) {
	return runParallel(workers, func(i int) (results.WorkerStat, error) {
		var ws results.WorkerStat
		t0 := time.Now()
		err := r.in.Do(func(py *embed.Py) error {
			if _, err := py.Call(r.fns["noop"]); err != nil {
				return err
			}
			attach := time.Since(t0).Seconds()
			var err error
			ws, err = callShare(py, r.fns[results.Goroutines.Driver()], r.pyArg, workload, i, workers)
			ws.AttachWaitS = attach
			return err
		})
		return ws, err
	})
}

// callShare runs gilbench.share for worker i in py's interpreter.
func callShare(py *embed.Py, share, params *embed.Object, workload string, i, workers int) (results.WorkerStat, error) {
	v, err := callGo(py, share, workload, params, i, workers)
	if err != nil {
		return results.WorkerStat{}, err
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
		s, err := r.in.NewSubinterpreter()
		if err != nil {
			return nil, err
		}
		w := &subWorker{sub: s}
		subs = append(subs, w)
		err = s.Do(func(py *embed.Py) error {
			prepend, err := pyHelper(py, "syspath.py", "prepend")
			if err != nil {
				return err
			}
			defer prepend.Close()
			if _, err := py.Call(prepend, paths); err != nil {
				return err
			}
			mod, err := py.Import("gilbench")
			if err != nil {
				return fmt.Errorf("importing gilbench in a subinterpreter: %w", err)
			}
			if w.share, err = py.Attr(mod, results.Subinterpreters.Driver()); err != nil {
				return err
			}
			if w.unavailable, err = py.Attr(mod, "unavailable"); err != nil {
				return err
			}
			params := maps.Clone(r.pyDict)
			params["where"] = "in a subinterpreter"
			w.params, err = py.Object(params)
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
	_ = r.in.Do(func(py *embed.Py) error {
		sys, err := py.Import("sys")
		if err != nil {
			return err
		}
		defer sys.Close()
		o, err := py.Attr(sys, "path")
		if err != nil {
			return err
		}
		defer o.Close()
		v, err := py.Go(o)
		if l, ok := v.([]any); ok {
			out = l
		}
		return err
	})
	return out
}

func (r *Runner) runSubinterpreters(workload string, workers int) (results.Sample, error) {
	subs, err := r.subWorkers(workers)
	if err != nil {
		return results.Sample{}, err
	}
	return runParallel(workers, func(i int) (results.WorkerStat, error) {
		var ws results.WorkerStat
		w := subs[i]
		err := w.sub.Do(func(py *embed.Py) error {
			var err error
			ws, err = callShare(py, w.share, w.params, workload, i, workers)
			return err
		})
		return ws, err
	})
}
