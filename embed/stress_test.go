package embed_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// TestStress is `make stress`: GILKIT_STRESS_CALLS calls (default in make:
// 1,000,000) from GILKIT_STRESS_GOROUTINES goroutines (64) mixing every
// way of using the API, then a phase of calls that compile code, then the
// latency of cancellation. It checks every result, and that memory, thread
// states and goroutines stay flat. Skipped unless GILKIT_STRESS_CALLS is set.
func TestStress(t *testing.T) {
	calls := envInt(t, "GILKIT_STRESS_CALLS", 0)
	if calls == 0 {
		t.Skip("make stress runs this (GILKIT_STRESS_CALLS=N)")
	}
	goroutines := envInt(t, "GILKIT_STRESS_GOROUTINES", 64)
	name := os.Getenv("GILKIT_PYTHON")
	if name == "" {
		name = embed.BuildName()
	}
	in := interp(t)
	require.NoError(t, testFuncs()) // gilkit.t_call, for callbacks that call back
	goroutinesBefore := runtime.NumGoroutine()
	s := newStress(t, in)

	report := func(format string, args ...any) {
		line := fmt.Sprintf("stress %s: ", name) + fmt.Sprintf(format, args...)
		fmt.Println(line)
	}

	// Phase 1: calls that do not compile code, with garbage collections
	// forced beside them in Go and in Python (objects whose last use is a
	// call must stay alive through it). RSS must stay flat after the first
	// 10% (the warm-up: thread states, caches, pools).
	stopGC := make(chan struct{})
	gcDone := make(chan int)
	go func() {
		n := 0
		defer func() { gcDone <- n }()
		for {
			select {
			case <-stopGC:
				return
			case <-time.After(2 * time.Millisecond):
			}
			runtime.GC()
			if n%8 == 0 {
				_ = in.Do(func(py *embed.Py) error { return py.Exec("import gc\ngc.collect()") })
			}
			n++
		}
	}()
	res := s.run(calls, goroutines, s.callOps())
	close(stopGC)
	forcedGCs := <-gcDone
	report("%d garbage collections forced beside the calls", forcedGCs)
	report("%d calls from %d goroutines in %.1f s = %.0f calls/s (%s)", res.calls, goroutines, res.elapsed.Seconds(), res.perSecond(), res.mix)
	report("RSS %.1f MB before, %.1f MB after warm-up, %.1f MB at the end (%+.1f MB after warm-up), peak %.1f MB",
		mb(res.rssBefore), mb(res.rssWarm), mb(res.rssEnd), mb(res.rssEnd-res.rssWarm), mb(res.rssPeak))
	require.Empty(t, res.failures, "wrong results or errors")
	assert.Less(t, res.rssEnd-res.rssWarm, int64(20<<20), "RSS grew by more than 20 MB after warm-up for calls that compile nothing")

	// Phase 2: calls that compile code (Exec, Eval, captured output), and
	// the same compile loop in the plain python binary, for comparison:
	// what grows there is CPython's.
	compileCalls := envInt(t, "GILKIT_STRESS_COMPILE_CALLS", max(calls/20, goroutines))
	res2 := s.run(compileCalls, goroutines, s.compileOps())
	report("%d compiling calls (Exec, Eval, capture) in %.1f s = %.0f calls/s; RSS %.1f MB after warm-up -> %.1f MB (%+.1f MB)",
		res2.calls, res2.elapsed.Seconds(), res2.perSecond(), mb(res2.rssWarm), mb(res2.rssEnd), mb(res2.rssEnd-res2.rssWarm))
	require.Empty(t, res2.failures, "wrong results or errors while compiling")
	if plain, err := plainCompileRSS(in, compileCalls, goroutines); err != nil {
		report("plain python for comparison: %v", err)
	} else {
		report("the same compile loop in plain %s with %d threads: RSS %.1f MB after warm-up -> %.1f MB (%+.1f MB)", plain.exe, goroutines, mb(plain.warm), mb(plain.end), mb(plain.end-plain.warm))
	}

	// Phase 3: how long a cancelled call takes to return, idle and with
	// busy goroutines competing for the interpreter.
	// (On a free-threaded build busy goroutines really run at once: with
	// more of them than cores, the OS scheduler decides when the
	// cancelling and the cancelled threads get a core.)
	for _, busy := range []int{0, runtime.NumCPU(), 8} {
		l := s.cancelLatency(200, busy)
		report("cancellation to return, CPU-bound Python, %d busy goroutines: %s", busy, l)
		fmt.Printf("stress-latency\t%s\tbusy=%d\t%s\n", name, busy, l.tsv())
		require.Empty(t, l.failures)
		assert.Less(t, l.max, generous, "a cancelled call did not return")
	}

	// Leaks: thread states (one per OS thread that attached), goroutines.
	var states int
	do(t, func(py *embed.Py) error { states = embed.ThreadStates(py); return nil })
	threads := osThreads(t)
	report("%d thread states in the main interpreter for %d OS threads; %d references waiting to be dropped", states, threads, in.PendingReleases())
	assert.LessOrEqual(t, states, threads+1, "more thread states than OS threads: thread states leak")
	s.close()

	// Phase 4: forking from calls, once no subinterpreter exists.
	forkCalls := envInt(t, "GILKIT_STRESS_FORK_CALLS", max(calls/100, goroutines))
	res4 := s.run(forkCalls, goroutines, s.forkOps())
	report("%d calls forking among others in %.1f s (%s)", res4.calls, res4.elapsed.Seconds(), res4.mix)
	require.Empty(t, res4.failures, "wrong results or errors while forking")
	var after int
	for range 100 { // AfterFunc and subinterpreter goroutines finish shortly after
		if after = runtime.NumGoroutine(); after <= goroutinesBefore {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	report("goroutines: %d before, %d after", goroutinesBefore, after)
	assert.LessOrEqual(t, after, goroutinesBefore, "goroutines leaked")
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	require.NoError(t, err, "%s", name)
	return n
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// rss reads the resident set size from /proc/self/status.
func rss() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func osThreads(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/task")
	require.NoError(t, err)
	return len(entries)
}

const stressSrc = `
import time
def seven():
    return 7
def double(i):
    return i * 2
def fail(i):
    raise ValueError(f"bad {i}")
def echo(x):
    return x
def say(i):
    print("line", i)
def go(i):
    import gilkit  # Go functions: the main interpreter only
    return gilkit.countdown(i % 1000) + gilkit.countdown_held(i % 7), gilkit.countdown(-i)
def spin(limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        pass
    return "done"
def back(i):
    # Python calls Go, which calls Python, which calls Go again.
    import gilkit
    return gilkit.t_call(lambda j: gilkit.t_call(double, j), i)
def forker(i):
    # The child returns normally: gilkit must end it where it comes back.
    import os
    pid = os.fork()
    if pid == 0:
        return i
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.001)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return "the child hung"
class SlowStr(Exception):
    def __str__(self):
        spin(0.02)  # the deadline ends here, while gilkit formats the error
        return "slow"
def slowfail():
    raise SlowStr()
`

// pyFuncs are stressSrc's functions in one interpreter.
type pyFuncs struct {
	ns, seven, double, fail, echo, spin, goFn, back, forker, slowfail *embed.Object
}

func loadFuncs(py *embed.Py) (*pyFuncs, error) {
	ns, err := py.Namespace("stress")
	if err != nil {
		return nil, err
	}
	if err := py.Exec(stressSrc, embed.Globals(ns)); err != nil {
		return nil, err
	}
	f := &pyFuncs{ns: ns}
	for name, dst := range map[string]**embed.Object{"seven": &f.seven, "double": &f.double, "fail": &f.fail, "echo": &f.echo,
		"spin": &f.spin, "go": &f.goFn, "back": &f.back, "forker": &f.forker, "slowfail": &f.slowfail} {
		if *dst, err = py.Eval(name, embed.Globals(ns)); err != nil {
			return nil, err
		}
	}
	return f, nil
}

type stress struct {
	t    *testing.T
	in   *embed.Interpreter
	main *pyFuncs
	subs []*embed.Subinterpreter
	sub  []*pyFuncs
}

func newStress(t *testing.T, in *embed.Interpreter) *stress {
	s := &stress{t: t, in: in}
	do(t, func(py *embed.Py) error {
		var err error
		s.main, err = loadFuncs(py)
		return err
	})
	for range 4 {
		sub, err := in.NewSubinterpreter()
		if err != nil {
			t.Logf("no subinterpreters: %v", err)
			break
		}
		var funcs *pyFuncs
		require.NoError(t, sub.Do(func(py *embed.Py) error {
			var err error
			funcs, err = loadFuncs(py)
			return err
		}))
		s.subs = append(s.subs, sub)
		s.sub = append(s.sub, funcs)
	}
	return s
}

func (s *stress) close() {
	for _, sub := range s.subs {
		require.NoError(s.t, sub.Close())
	}
	s.subs, s.sub = nil, nil
}

// op is one kind of call of the mix; weight is its share (the call mix's
// weights add up to about 1000, so 1 is 0.1%). The costly kinds (raising:
// ~75 us for the traceback; cancel: ~2.5 ms; a subinterpreter round trip:
// ~50 us) have small shares, so that a million calls fit in CI's time.
type op struct {
	name   string
	weight int
	run    func(i int, r *rand.Rand) error
}

// value2 is value for in.Call's results.
func value2(in *embed.Interpreter) func(*embed.Object, error) (any, error) {
	return func(r *embed.Object, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		var v any
		err = in.Do(func(py *embed.Py) error {
			var err error
			v, err = value(py)(r, nil)
			return err
		})
		return v, err
	}
}

// value converts a call's result to Go and closes it:
// value(py)(py.Call(fn, x)).
func value(py *embed.Py) func(*embed.Object, error) (any, error) {
	return func(r *embed.Object, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return py.Go(r)
	}
}

func expect(got, want any, what string) error {
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s: got %#v, want %#v", what, got, want)
	}
	return nil
}

// callOps compile no code.
func (s *stress) callOps() []op {
	in, f := s.in, s.main
	ops := []op{
		{"Call", 300, func(i int, _ *rand.Rand) error {
			r, err := in.Call(f.seven)
			if err != nil {
				return err
			}
			defer r.Close()
			if i%16 != 0 {
				return nil
			}
			return in.Do(func(py *embed.Py) error {
				v, err := py.Go(r)
				if err != nil {
					return err
				}
				return expect(v, int64(7), "seven()")
			})
		}},
		{"Do+Call", 300, func(i int, _ *rand.Rand) error {
			return in.Do(func(py *embed.Py) error {
				v, err := value(py)(py.Call(f.double, i))
				if err != nil {
					return err
				}
				return expect(v, int64(2*i), "double(i)")
			})
		}},
		{"raise", 20, func(i int, _ *rand.Rand) error {
			_, err := in.Call(f.fail, i)
			var pyErr *embed.PyError
			if !errors.As(err, &pyErr) || pyErr.Type != "ValueError" || pyErr.Message != fmt.Sprintf("bad %d", i) {
				return fmt.Errorf("fail(i): got %v, want ValueError: bad %d", err, i)
			}
			return nil
		}},
		{"gilkit", 30, func(i int, _ *rand.Rand) error {
			// Python calling Go (GIL released, then held) from a goroutine.
			return in.Do(func(py *embed.Py) error {
				v, err := value(py)(py.Call(f.goFn, i))
				if err != nil {
					return err
				}
				return expect(v, embed.Tuple{int64(0), int64(-i)}, "go(i)")
			})
		}},
		{"convert", 50, func(i int, _ *rand.Rand) error {
			want := map[any]any{"i": int64(i), "list": []any{int64(i), "x", nil}, "bytes": []byte("b" + strconv.Itoa(i)), "tuple": embed.Tuple{1.5, true}}
			return in.Do(func(py *embed.Py) error {
				o, err := py.Object(want)
				if err != nil {
					return err
				}
				defer o.Close()
				v, err := value(py)(py.Call(f.echo, o))
				if err != nil {
					return err
				}
				return expect(v, want, "echo(dict)")
			})
		}},
		{"detach", 80, func(i int, _ *rand.Rand) error {
			return in.Do(func(py *embed.Py) error {
				r, err := py.Call(f.double, i)
				if err != nil {
					return err
				}
				r.Close()
				py.Detach(runtime.Gosched)
				v, err := value(py)(py.Call(f.double, i+1))
				if err != nil {
					return err
				}
				return expect(v, int64(2*i+2), "double(i+1) after Detach")
			})
		}},
		{"nested", 80, func(i int, _ *rand.Rand) error {
			return in.Do(func(outer *embed.Py) error {
				err := in.Do(func(py *embed.Py) error {
					v, err := value(py)(py.Call(f.double, i))
					if err != nil {
						return err
					}
					return expect(v, int64(2*i), "nested double(i)")
				})
				if err != nil {
					return err
				}
				r, err := outer.Call(f.seven)
				if err == nil {
					r.Close()
				}
				return err
			})
		}},
		{"forgotten", 80, func(i int, _ *rand.Rand) error {
			// Results never closed: the cleanup queues them for the next
			// goroutine that leaves a Do.
			return in.Do(func(py *embed.Py) error {
				_, err := py.Call(f.double, i)
				if err != nil {
					return err
				}
				_, err = py.Object([]any{i, "forgotten"})
				return err
			})
		}},
		{"CallContext", 50, func(i int, _ *rand.Rand) error {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			r, err := in.CallContext(ctx, f.double, i)
			if err != nil {
				return err
			}
			r.Close()
			return nil
		}},
		{"callback", 20, func(i int, _ *rand.Rand) error {
			// Go -> Python -> Go -> Python -> Go -> Python, GIL released in Go.
			return in.Do(func(py *embed.Py) error {
				v, err := value(py)(py.Call(f.back, i))
				if err != nil {
					return err
				}
				return expect(v, int64(2*i), "back(i)")
			})
		}},
		{"cancel-formatting", 1, func(i int, _ *rand.Rand) error {
			// The deadline ends while gilkit formats the exception: the
			// interrupt must still stop the spin that follows.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
			defer cancel()
			start := time.Now()
			ran := false
			err := in.DoContext(ctx, func(py *embed.Py) error {
				ran = true
				_, err := py.Call(f.slowfail)
				var pyErr *embed.PyError
				switch {
				case err == nil:
					return errors.New("slowfail() did not raise")
				case errors.As(err, &pyErr) && pyErr.Type == "KeyboardInterrupt":
					return err // the deadline came before the formatting
				}
				_, err = py.Call(f.spin, 2.0)
				return err
			})
			if !ran {
				// The deadline passed before DoContext was entered (a
				// descheduled goroutine on a busy machine): documented to
				// return ctx's error alone, without running fn.
				if err != context.DeadlineExceeded {
					return fmt.Errorf("cancel before formatting: got %v, want context.DeadlineExceeded alone", err)
				}
				return nil
			}
			if d := time.Since(start); d > time.Second {
				return fmt.Errorf("the spin after the interrupted formatting ran for %v: the interrupt was lost (%v)", d, err)
			}
			var pyErr *embed.PyError
			if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &pyErr) || pyErr.Type != "KeyboardInterrupt" {
				return fmt.Errorf("interrupted while formatting, then spin: got %v after %v", err, time.Since(start))
			}
			return nil
		}},
		{"interrupt-idle", 2, func(i int, _ *rand.Rand) error {
			// Interrupt aimed at this goroutine's thread while it is idle,
			// and while inside a Do that then ends: neither may hit the
			// thread's next Do.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var id uint64
			if err := in.Do(func(py *embed.Py) error { id = py.ThreadID(); return nil }); err != nil {
				return err
			}
			if ok, err := in.Interrupt(id); err != nil || ok {
				return fmt.Errorf("Interrupt of an idle thread: %v, %v", ok, err)
			}
			if err := in.Do(func(py *embed.Py) error {
				if err := py.Exec("pass"); err != nil {
					return err
				}
				py.Detach(func() { _, _ = in.Interrupt(id) })
				return nil
			}); err != nil {
				return err
			}
			return in.Do(func(py *embed.Py) error {
				v, err := value(py)(py.Call(f.double, i))
				if err != nil {
					return fmt.Errorf("the Do after an interrupt of an idle thread: %w", err)
				}
				return expect(v, int64(2*i), "double(i) after an idle interrupt")
			})
		}},
		{"cancel", 1, func(i int, r *rand.Rand) error {
			timeout := time.Duration(200+r.IntN(1800)) * time.Microsecond
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			ran := false
			err := in.DoContext(ctx, func(py *embed.Py) error {
				ran = true
				r, err := py.Call(f.spin, 0.05)
				r.Close()
				return err
			})
			switch {
			case err == nil:
				return nil // finished first (it waited long for the interpreter)
			case !ran:
				// The deadline passed before DoContext was entered (a
				// descheduled goroutine on a busy machine): documented to
				// return ctx's error alone, without running fn.
				if err != context.DeadlineExceeded {
					return fmt.Errorf("cancel before the call: got %v, want context.DeadlineExceeded alone", err)
				}
				return nil
			}
			var pyErr *embed.PyError
			if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &pyErr) || pyErr.Type != "KeyboardInterrupt" {
				return fmt.Errorf("cancelled spin: got %v", err)
			}
			return nil
		}},
	}
	for k := range s.subs {
		sub, sf := s.subs[k], s.sub[k]
		ops = append(ops, op{fmt.Sprintf("sub%d", k), 10, func(i int, _ *rand.Rand) error {
			return sub.Do(func(py *embed.Py) error {
				v, err := value(py)(py.Call(sf.double, i))
				if err != nil {
					return err
				}
				return expect(v, int64(2*i), "double(i) in a subinterpreter")
			})
		}})
	}
	return ops
}

// forkOps fork from calls, among a few others; they run once the
// subinterpreters are closed (CPython's forked child dies when the process
// has any, so os.fork refuses then).
func (s *stress) forkOps() []op {
	in, f := s.in, s.main
	ops := []op{{"fork", 60, func(i int, _ *rand.Rand) error {
		v, err := value2(in)(in.Call(f.forker, i))
		if err != nil {
			return err
		}
		return expect(v, int64(0), "the status of a child that returned into gilkit")
	}}}
	for _, o := range s.callOps() {
		switch o.name {
		case "Call", "Do+Call", "callback", "gilkit":
			ops = append(ops, o)
		}
	}
	return ops
}

// compileOps compile code on every call.
func (s *stress) compileOps() []op {
	in, f := s.in, s.main
	ops := []op{
		{"Exec", 3, func(i int, _ *rand.Rand) error {
			return in.Do(func(py *embed.Py) error { return py.Exec(fmt.Sprintf("x = %d * 2", i)) })
		}},
		{"Eval", 3, func(i int, _ *rand.Rand) error {
			return in.Do(func(py *embed.Py) error {
				v, err := value(py)(py.Eval(fmt.Sprintf("%d * 3", i)))
				if err != nil {
					return err
				}
				return expect(v, int64(3*i), "eval")
			})
		}},
		{"capture", 4, func(i int, _ *rand.Rand) error {
			var out bytes.Buffer
			err := in.Do(func(py *embed.Py) error {
				return py.Exec(fmt.Sprintf("say(%d)", i), embed.Globals(f.ns), embed.Stdout(&out))
			})
			if err != nil {
				return err
			}
			return expect(out.String(), fmt.Sprintf("line %d\n", i), "captured output")
		}},
	}
	for k := range s.subs {
		sub, sf := s.subs[k], s.sub[k]
		ops = append(ops, op{fmt.Sprintf("sub%d-capture", k), 1, func(i int, _ *rand.Rand) error {
			var out bytes.Buffer
			err := sub.Do(func(py *embed.Py) error {
				return py.Exec(fmt.Sprintf("say(%d)", i), embed.Globals(sf.ns), embed.Stdout(&out))
			})
			if err != nil {
				return err
			}
			return expect(out.String(), fmt.Sprintf("line %d\n", i), "captured output in a subinterpreter")
		}})
	}
	return ops
}

type stressResult struct {
	calls                               int
	elapsed                             time.Duration
	rssBefore, rssWarm, rssEnd, rssPeak int64
	failures                            []string
	mix                                 string
}

func (r stressResult) perSecond() float64 { return float64(r.calls) / r.elapsed.Seconds() }

// run makes calls calls from goroutines goroutines, each picking ops by
// weight, and samples RSS.
func (s *stress) run(calls, goroutines int, ops []op) stressResult {
	var table []int // op index per weight unit
	var mix []string
	total := 0
	for k, o := range ops {
		total += o.weight
		for range o.weight {
			table = append(table, k)
		}
	}
	for _, o := range ops {
		mix = append(mix, fmt.Sprintf("%s %.1f%%", o.name, float64(o.weight*100)/float64(total)))
	}
	settle := func() int64 {
		runtime.GC()
		do(s.t, func(py *embed.Py) error { return py.Exec("import gc\ngc.collect()") })
		runtime.GC()
		do(s.t, func(py *embed.Py) error { return nil })
		return rss()
	}
	res := stressResult{calls: calls, rssBefore: settle(), mix: strings.Join(mix, ", ")}
	var done atomic.Int64
	var peak atomic.Int64
	var failMu sync.Mutex
	failCount := map[string]int{}
	warm := calls / 10
	warmRSS := make(chan int64, 1)
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // RSS: peak, and the value once the warm-up is over
		defer close(sampled)
		sentWarm := false
		for {
			v := rss()
			if v > peak.Load() {
				peak.Store(v)
			}
			if !sentWarm && done.Load() >= int64(warm) {
				warmRSS <- v
				sentWarm = true
			}
			select {
			case <-stopSampling:
				if !sentWarm {
					warmRSS <- v
				}
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for g := range goroutines {
		n := calls / goroutines
		if g < calls%goroutines {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for i := range n {
				k := table[r.IntN(len(table))]
				if err := ops[k].run(g*1_000_000+i, r); err != nil {
					failMu.Lock()
					if failCount[ops[k].name]++; failCount[ops[k].name] <= 3 {
						res.failures = append(res.failures, ops[k].name+": "+err.Error())
					}
					failMu.Unlock()
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	close(stopSampling)
	<-sampled
	res.rssWarm = <-warmRSS
	res.rssEnd = settle()
	res.rssPeak = max(peak.Load(), res.rssEnd)
	for name, n := range failCount {
		if n > 3 {
			res.failures = append(res.failures, fmt.Sprintf("%s: %d failures in all", name, n))
		}
	}
	return res
}

type latencies struct {
	n                int
	median, p99, max time.Duration
	notInterrupted   int
	failures         []string
}

func (l latencies) String() string {
	return fmt.Sprintf("median %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)", ms(l.median), ms(l.p99), ms(l.max), l.n)
}

func (l latencies) tsv() string {
	return fmt.Sprintf("median_ms=%.3f\tp99_ms=%.3f\tmax_ms=%.3f\tn=%d", ms(l.median), ms(l.p99), ms(l.max), l.n)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cancelLatency measures n cancellations of CPU-bound Python code, from the
// cancel() call to DoContext's return, while busy goroutines keep calling
// CPU-bound Python (on a GIL build they compete for the GIL; the cancelled
// call must wait for it before it can raise).
func (s *stress) cancelLatency(n, busy int) latencies {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range busy {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if r, err := s.in.Call(s.main.spin, 0.002); err == nil {
					r.Close()
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	var l latencies
	samples := make([]time.Duration, 0, n)
	for range n {
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan struct{})
		type result struct {
			err      error
			returned time.Time // taken on the cancelled goroutine itself
		}
		done := make(chan result, 1)
		go func() {
			err := s.in.DoContext(ctx, func(py *embed.Py) error {
				close(started)
				_, err := py.Call(s.main.spin, 10.0)
				return err
			})
			done <- result{err, time.Now()}
		}()
		<-started
		time.Sleep(time.Millisecond)
		t0 := time.Now()
		cancel()
		var res result
		select {
		case res = <-done:
		case <-time.After(generous):
			l.failures = append(l.failures, "a cancelled call did not return within "+generous.String())
			return l
		}
		err := res.err
		samples = append(samples, res.returned.Sub(t0))
		if !errors.Is(err, context.Canceled) {
			l.notInterrupted++
			if len(l.failures) < 3 {
				l.failures = append(l.failures, fmt.Sprintf("cancelled spin returned %v", err))
			}
		}
	}
	slices.Sort(samples)
	l.n = len(samples)
	l.median = samples[len(samples)/2]
	l.p99 = samples[min(len(samples)-1, len(samples)*99/100)]
	l.max = samples[len(samples)-1]
	return l
}

// plainCompileSrc is phase 2's compile loop for the plain python binary:
// threads compile and run the same statements and expressions.
const plainCompileSrc = `
import sys, threading
n, nthreads = int(sys.argv[1]), int(sys.argv[2])
def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
local = threading.local()
ns = {"local": local}
exec("def say(i):\n    local.buf.append(f'line {i}')\n", ns)
def work(first, count, barrier):
    local.buf = []
    for i in range(first, first + count):
        k = i % 10
        if k < 3:
            exec(f"x = {i} * 2", {})
        elif k < 6:
            assert eval(f"{i} * 3") == 3 * i
        else:
            exec(f"say({i})", ns)
            local.buf.clear()
    barrier.wait()
def phase(total):
    per = total // nthreads
    barrier = threading.Barrier(nthreads + 1)
    ts = [threading.Thread(target=work, args=(k * per, per, barrier)) for k in range(nthreads)]
    for t in ts:
        t.start()
    barrier.wait()
    for t in ts:
        t.join()
phase(n // 10)
import gc; gc.collect()
warm = rss()
phase(n - n // 10)
gc.collect()
print(warm, rss())
`

type plainRSS struct {
	exe       string
	warm, end int64
}

// plainCompileRSS runs plainCompileSrc in the interpreter's own python
// binary (sys.executable; PYTHON_GIL passes through).
func plainCompileRSS(in *embed.Interpreter, calls, threads int) (plainRSS, error) {
	info, err := in.Info()
	if err != nil {
		return plainRSS{}, err
	}
	out, err := exec.Command(info.Executable, "-c", plainCompileSrc, strconv.Itoa(calls), strconv.Itoa(threads)).CombinedOutput()
	if err != nil {
		return plainRSS{}, fmt.Errorf("%s: %v: %s", info.Executable, err, out)
	}
	var r plainRSS
	r.exe = info.Executable
	if _, err := fmt.Sscan(string(out), &r.warm, &r.end); err != nil {
		return plainRSS{}, fmt.Errorf("%s printed %q: %v", info.Executable, out, err)
	}
	return r, nil
}
