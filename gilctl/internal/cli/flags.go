package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/report"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// listFlag is a comma-separated list flag. The first use replaces the
// default; later uses add to it (--mode threads --mode processes).
type listFlag struct {
	items []string
	set   bool
	parse func(name string) ([]string, error) // checks and expands one item
}

func (l *listFlag) String() string { return strings.Join(l.items, ",") }

func (l *listFlag) Set(s string) error {
	if !l.set {
		l.items, l.set = nil, true
	}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		names, err := l.parse(f)
		if err != nil {
			return err
		}
		for _, n := range names {
			if !slices.Contains(l.items, n) {
				l.items = append(l.items, n)
			}
		}
	}
	if len(l.items) == 0 {
		return fmt.Errorf("name at least one")
	}
	return nil
}

func newListFlag(def string, parse func(string) ([]string, error)) *listFlag {
	l := &listFlag{parse: parse}
	if err := l.Set(def); err != nil {
		panic(err) // a wrong default is a programming error
	}
	l.set = false
	return l
}

// workloadFlag takes built-in workloads and groups (io = io-sleep,
// io-socket, io-file).
func workloadFlag(def string) *listFlag {
	return newListFlag(def, func(name string) ([]string, error) {
		if g, ok := results.GroupNamed(name); ok {
			return g, nil
		}
		if _, ok := results.LookupWorkload(name); ok {
			return []string{name}, nil
		}
		if strings.HasSuffix(name, ".py") {
			return nil, fmt.Errorf("unknown workload %q: a Python file is given with --script %s", name, name)
		}
		return nil, fmt.Errorf("unknown workload %q (known: %s, or one of %s)", name, strings.Join(results.GroupNames(), ", "),
			strings.Join(results.WorkloadNames(), ", "))
	})
}

// workloadHelp is --workload's usage: the groups, and a few single ones.
func workloadHelp() string {
	return fmt.Sprintf("workloads: %s (groups) or single ones such as %s, %s, %s", strings.Join(results.GroupNames(), ", "),
		results.IOSocket, results.GoHeld, results.ProbeIO)
}

// groupsBut are every group of workloads but those named, as a --workload
// value.
func groupsBut(but ...string) string {
	return strings.Join(slices.DeleteFunc(results.GroupNames(), func(g string) bool { return slices.Contains(but, g) }), ",")
}

func modeFlag(def string) *listFlag {
	return newListFlag(def, func(name string) ([]string, error) {
		if _, err := results.ParseMode(name); err != nil {
			return nil, err
		}
		return []string{name}, nil
	})
}

// countsFlag is a list of counts of at least min, kept sorted: worker
// counts (1 or more) or CPU-bound threads (0 or more).
type countsFlag struct {
	counts []int
	min    int
	what   string // "worker count"
	like   string // "1,2,4"
}

func workersFlag() *countsFlag {
	return &countsFlag{min: 1, what: "worker count", like: "positive integers like 1,2,4"}
}

func cpuThreadsFlag() *countsFlag {
	return &countsFlag{min: 0, what: "thread count", like: "counts like 0,1,2,4"}
}

func (c *countsFlag) String() string { return joinCounts(c.counts) }

// joinCounts writes counts as a flag value: "1,2,4".
func joinCounts(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ",")
}

func (c *countsFlag) Set(s string) error {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < c.min {
			return fmt.Errorf("bad %s %q: want %s", c.what, f, c.like)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return fmt.Errorf("name at least one %s", c.what)
	}
	slices.Sort(out)
	c.counts = slices.Compact(out)
	return nil
}

// retryFlag is --retry-busy (3 more attempts) or --retry-busy=N.
type retryFlag struct{ n int }

func (r *retryFlag) String() string   { return strconv.Itoa(r.n) }
func (r *retryFlag) IsBoolFlag() bool { return true }
func (r *retryFlag) Set(s string) error {
	switch s {
	case "true":
		r.n = 3
		return nil
	case "false":
		r.n = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("want a number of attempts (0 or more), got %q", s)
	}
	r.n = n
	return nil
}

// specFlags are the flags that choose what to run, shared by bench,
// compare, check and worker: the work, how it is run, and the probes.
type specFlags struct {
	*runFlags
	*probeFlags
	workloads, modes *listFlag
	workers          *countsFlag
	count            *int
	weak             *bool
	scripts          *scriptsFlag
}

// runFlags say how cells are run (shared with probe).
type runFlags struct {
	runs, warmup *int
	maxRuns      *int
	maxCellTime  *time.Duration
	quick        *bool
	examples     *string
	busyCores    *float64
	retry        *retryFlag
}

// specDefaults are a command's defaults for what to run.
type specDefaults struct {
	workloads, modes, workers string
	cpuThreads                string
}

func addRunFlags(fs *flag.FlagSet) *runFlags {
	def := matrix.DefaultSpec()
	f := &runFlags{
		runs: fs.Int("runs", def.Runs, "counted runs every cell gets (after the warm-up); a cell whose ratio a claim judges runs on until the claim is decided, "+
			"up to --max-runs; 6 or more give every median a 95% confidence interval"),
		maxRuns: fs.Int("max-runs", 0, fmt.Sprintf("the most counted runs of a cell a claim judges (default %d; %d with --quick); --max-runs equal to --runs fixes the count",
			matrix.DefaultMaxRuns, matrix.QuickMaxRuns)),
		maxCellTime: fs.Duration("max-cell-time", 0, fmt.Sprintf("the most time the counted runs of one cell may take on one interpreter before it stops undecided (default %s; %s with --quick)",
			results.Seconds(matrix.DefaultMaxCellS), results.Seconds(matrix.QuickMaxCellS))),
		warmup:    fs.Int("warmup", def.Warmup, "uncounted warm-up runs per cell"),
		quick:     fs.Bool("quick", false, "small counts for a fast look (the figures are noisier)"),
		examples:  fs.String("examples", "", "folder holding gilbench.py (default: found beside the binary or the working directory)"),
		busyCores: fs.Float64("busy-cores", 0.25, "flag a cell when other processes used more than this share of a core during it"),
		retry:     &retryFlag{},
	}
	fs.Var(f.retry, "retry-busy", "measure a busy cell again, up to 3 more times (or =N times), keeping the least busy attempt")
	return f
}

func addSpecFlags(fs *flag.FlagSet, d specDefaults) *specFlags {
	f := &specFlags{
		runFlags:   addRunFlags(fs),
		probeFlags: addProbeFlags(fs, d.cpuThreads),
		workloads:  workloadFlag(d.workloads),
		modes:      modeFlag(d.modes),
		workers:    workersFlag(),
		count:      fs.Int("count", 0, "countdown iterations in total (default 20,000,000; 5,000,000 with --quick)"),
		weak:       fs.Bool("weak", false, "weak scaling: every worker does the full amount (default: the total is split)"),
		scripts:    &scriptsFlag{},
	}
	_ = f.workers.Set(d.workers)
	fs.Var(f.workloads, "workload", workloadHelp())
	fs.Var(f.modes, "mode", "how work is spread: "+results.Join(results.Modes(), ", "))
	fs.Var(f.workers, "workers", "worker counts")
	fs.Var(f.scripts, "script", "your own workload: a Python file defining work(i, n) and optionally setup() (repeatable); without --workload, only the scripts run")
	return f
}

func (f *specFlags) spec() (matrix.Spec, error) {
	spec, err := f.runFlags.spec()
	if err != nil {
		return spec, err
	}
	spec.Workloads, spec.Workers = f.workloads.items, f.workers.counts
	spec.Modes = nil
	for _, m := range f.modes.items {
		spec.Modes = append(spec.Modes, results.Mode(m))
	}
	if len(f.scripts.paths) > 0 {
		if !f.workloads.set {
			spec.Workloads = nil // only the user's scripts
		}
		spec.Params.Scripts = map[string]string{}
		for _, path := range f.scripts.paths {
			name := filepath.Base(path)
			spec.Workloads = append(spec.Workloads, name)
			spec.Params.Scripts[name] = path
		}
	}
	if *f.count < 0 {
		return spec, fmt.Errorf("--count must be positive, got %d", *f.count)
	}
	if *f.count > 0 {
		spec.Params.Count = *f.count
	}
	spec.Params.Weak = *f.weak
	return spec, f.probeFlags.apply(&spec)
}

// spec is the default spec with the run flags applied.
func (f *runFlags) spec() (matrix.Spec, error) {
	spec := matrix.DefaultSpec()
	if *f.runs < 1 || *f.warmup < 0 {
		return spec, fmt.Errorf("--runs must be at least 1 and --warmup at least 0 (got %d and %d)", *f.runs, *f.warmup)
	}
	spec.Runs, spec.Warmup = *f.runs, *f.warmup
	spec.MaxRuns, spec.MaxCellS = matrix.DefaultMaxRuns, matrix.DefaultMaxCellS
	if *f.quick {
		spec.Params = matrix.QuickParams(spec.Params)
		spec.MaxRuns, spec.MaxCellS = matrix.QuickMaxRuns, matrix.QuickMaxCellS
	}
	switch {
	case *f.maxRuns < 0:
		return spec, fmt.Errorf("--max-runs must not be negative, got %d", *f.maxRuns)
	case *f.maxRuns > 0:
		spec.MaxRuns = *f.maxRuns
	}
	spec.MaxRuns = max(spec.MaxRuns, spec.Runs)
	switch {
	case *f.maxCellTime < 0:
		return spec, fmt.Errorf("--max-cell-time must not be negative, got %v", *f.maxCellTime)
	case *f.maxCellTime > 0:
		spec.MaxCellS = f.maxCellTime.Seconds()
	}
	if *f.busyCores <= 0 {
		return spec, fmt.Errorf("--busy-cores must be positive, got %v", *f.busyCores)
	}
	return spec, nil
}

// judging is how check judges the claims under these flags' budget.
func (f *runFlags) judging(spec matrix.Spec) (check.Judging, error) {
	return check.NewJudging(spec.Runs, max(spec.MaxRuns, spec.Runs), *f.busyCores)
}

// options are the driver's options for spec on runners: the claims' needs
// on those interpreters, judged as check will judge them.
func (f *runFlags) options(p matrix.Progress, spec matrix.Spec, rs []matrix.Runner) (matrix.Options, error) {
	jd, err := f.judging(spec)
	if err != nil {
		return matrix.Options{}, err
	}
	var interps []results.Interpreter
	for _, r := range rs {
		i, _ := r.Identity()
		interps = append(interps, i)
	}
	return matrix.Options{BusyCores: *f.busyCores, RetryBusy: f.retry.n, RetryPause: retryPause, Progress: p,
		Needs: check.Needs(interps, spec.Cells(), spec.Params, jd), Rule: jd.Stopper.Rule.String()}, nil
}

// workerArgs passes the workload sizes and scripts on to `gilctl worker`
// processes (the cells themselves travel with each request).
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
	for _, p := range f.scripts.paths {
		args = append(args, "--script", p)
	}
	return append(args, f.probeFlags.workerArgs()...)
}

// scriptsFlag is --script FILE, repeatable; paths are made absolute (the
// worker processes may run elsewhere) and must exist.
type scriptsFlag struct{ paths []string }

func (s *scriptsFlag) String() string { return strings.Join(s.paths, ",") }

func (s *scriptsFlag) Set(v string) error {
	abs, err := filepath.Abs(v)
	if err != nil {
		return err
	}
	st, err := os.Stat(abs)
	switch {
	case err != nil:
		return fmt.Errorf("no such file: %s", v)
	case st.IsDir():
		return fmt.Errorf("%s is a folder; name a Python file defining work(i, n)", v)
	}
	for _, p := range s.paths {
		if filepath.Base(p) == filepath.Base(abs) && p != abs {
			return fmt.Errorf("two scripts named %s (%s and %s): workloads are named by the file's name; rename one", filepath.Base(abs), p, abs)
		}
	}
	if !slices.Contains(s.paths, abs) {
		s.paths = append(s.paths, abs)
	}
	return nil
}

// Output formats: the commands that print results take them all, those
// that print one document (info, check, version) a table or JSON.
var (
	resultFormats   = report.FormatNames // table, json, csv, markdown, gobench
	documentFormats = []string{"table", "json"}
)

// formatFlags are --format NAME and a shorthand per format but the first
// (--json, --csv, ...). Naming two different formats is an error.
type formatFlags struct {
	names []string // the first is the default
	name  *string
	short map[string]*bool
}

func addFormatFlags(fs *flag.FlagSet, names []string) *formatFlags {
	f := &formatFlags{names: names, name: fs.String("format", names[0], "output: "+strings.Join(names, ", ")), short: map[string]*bool{}}
	for _, n := range names[1:] {
		f.short[n] = fs.Bool(n, false, "same as --format "+n)
	}
	return f
}

// chosen returns the format the user asked for, once flags are parsed.
func (f *formatFlags) chosen(fs *flag.FlagSet) (string, error) {
	var asked []string // "--csv", "--format table", in alphabetical order
	var names []string
	fs.Visit(func(fl *flag.Flag) {
		switch {
		case fl.Name == "format":
			asked, names = append(asked, "--format "+*f.name), append(names, *f.name)
		case f.short[fl.Name] != nil && *f.short[fl.Name]:
			asked, names = append(asked, "--"+fl.Name), append(names, fl.Name)
		}
	})
	slices.Sort(names)
	switch len(slices.Compact(names)) {
	case 0:
		return f.names[0], nil
	case 1:
		if !slices.Contains(f.names, names[0]) {
			return "", fmt.Errorf("unknown format %q (%s)", names[0], strings.Join(f.names, ", "))
		}
		return names[0], nil
	}
	return "", fmt.Errorf("conflicting output formats: %s; choose one", strings.Join(asked, " and "))
}

// addSaveFlag is --save FILE, one meaning wherever it is: also write the
// results measured, as JSON, to the file --results reads.
func addSaveFlag(fs *flag.FlagSet) *string {
	return fs.String("save", "", "also write the results as JSON to `FILE` (the file --results of check and report reads)")
}
