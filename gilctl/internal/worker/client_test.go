package worker

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// The test binary doubles as a worker process (GILCTL_TEST_WORKER set):
// a real process speaking the real protocol, whose runs are real shell
// processes; only the interpreter is missing.
func TestMain(m *testing.M) {
	switch os.Getenv("GILCTL_TEST_WORKER") {
	case "":
		os.Exit(m.Run())
	case "hello-error":
		ServeOneShot(os.Stdout, errors.New("importing pyexamples/gilbench.py: ModuleNotFoundError"))
		os.Exit(1)
	case "old":
		fmt.Println(`{"protocol": 1}`)
		os.Exit(0)
	case "v2":
		// Its probe cells had "mode" and "workers" for who probes and the
		// CPU-bound threads.
		fmt.Println(`{"protocol": 2}`)
		os.Exit(0)
	case "no-gilkit":
		fmt.Printf(`{"protocol": %d, "interpreter": {"name": "x"}}`+"\n", Protocol)
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	case "die":
		fmt.Printf(`{"protocol": %d, "interpreter": {"name": "x"}}`+"\n", Protocol)
		os.Exit(3)
	default:
		err := Server{Runner: shellRunner{}, RunExample: func(file string) (string, error) {
			if file != "refcount.py" {
				return "", fmt.Errorf("no such example %q", file)
			}
			return "4\n5\n", nil
		}}.Serve(os.Stdin, os.Stdout)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

type shellRunner struct{}

func (shellRunner) Identity() (results.Interpreter, machine.Machine) {
	return results.Interpreter{Name: "sh", Version: "1.0.0", GILEnabled: true}, machine.Current()
}

func (shellRunner) Unavailable(c results.Cell) (string, error) {
	if c.Mode == "subinterpreters" {
		return "subinterpreters need CPython 3.12 or newer", nil
	}
	return "", nil
}

func (shellRunner) RunOnce(c results.Cell) (results.Sample, error) {
	if c.Workload == "broken" {
		return results.Sample{}, errors.New("NameError: name 'x' is not defined")
	}
	if c.Workload == results.ProbeLatency {
		// What arrived: the switch interval and the CPU threads, echoed as
		// latencies so that the test sees both crossed the protocol.
		return results.Sample{WallS: 0.1, LatenciesS: []float64{c.SwitchIntervalS, float64(c.CPUThreads)}, Load: &machine.Activity{WallS: 0.1}}, nil
	}
	if c.Workload == results.ProbeIO {
		return results.Sample{WallS: 0.5, RoundTrips: 1000 / (c.CPUThreads + 1), PerWorker: []results.WorkerStat{{WallS: 1, CPUS: 0.5, AttachWaitS: 0.25}}}, nil
	}
	var wall float64
	load, err := machine.Measure(func() error {
		t0 := time.Now()
		err := exec.Command("sh", "-c", "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done").Run()
		wall = time.Since(t0).Seconds()
		return err
	})
	return results.Sample{WallS: wall, CPUS: wall, Load: load}, err
}

// lockedBuffer is a bytes.Buffer the worker's stderr copier and the test
// can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func start(t *testing.T, name, mode string) (*Client, *lockedBuffer) {
	t.Helper()
	var stderr lockedBuffer
	c, err := Start(Command{Name: name, Argv: []string{os.Args[0]}, Env: []string{"GILCTL_TEST_WORKER=" + mode}}, []string{"--quick"}, &stderr)
	if err != nil {
		t.Fatalf("%v; stderr: %s", err, stderr.String())
	}
	t.Cleanup(func() { c.Close() })
	return c, &stderr
}

func TestClientsDriveAMatrix(t *testing.T) {
	a, _ := start(t, "a", "serve")
	b, _ := start(t, "b", "serve")
	interp, m := a.Identity()
	assert.Equal(t, "a", interp.Name, "named by the command, not by the worker")
	assert.Equal(t, "1.0.0", interp.Version)
	assert.Equal(t, machine.Current().Cores, m.Cores)
	assert.Equal(t, version.Current(), a.Gilkit(), "the worker says which gilkit it was built from")

	spec := matrix.Spec{Workloads: []string{"count", "broken"}, Modes: []results.Mode{"serial", "subinterpreters"}, Workers: []int{1}, Runs: 2, Warmup: 1}
	rs, err := matrix.Drive([]matrix.Runner{a, b}, spec, matrix.Options{})
	require.NoError(t, err)
	require.Len(t, rs, 8)
	byKey := results.NewIndex(rs)
	got, _ := byKey.Get("b", results.Cell{Workload: "count", Mode: "serial", Workers: 1})
	assert.True(t, got.Measured())
	assert.NotNil(t, got.OtherLoad, "the worker measured the load around each run")
	got, _ = byKey.Get("a", results.Cell{Workload: "count", Mode: "subinterpreters", Workers: 1})
	assert.Equal(t, "subinterpreters need CPython 3.12 or newer", got.Skipped)
	got, _ = byKey.Get("a", results.Cell{Workload: "broken", Mode: "serial", Workers: 1})
	assert.Equal(t, "failed: NameError: name 'x' is not defined", got.Skipped)
}

// TestProbeCellsCrossTheProtocol: a probe cell's switch interval reaches
// the worker, and its latencies, round trips and attach waits come back.
func TestProbeCellsCrossTheProtocol(t *testing.T) {
	a, _ := start(t, "a", "serve")
	spec := matrix.Spec{Workloads: results.NamesOf(results.ProbeWorkloads()), CPUThreads: []int{0, 3}, Sweep: []float64{0.05}, SweepCPUThreads: 3, Runs: 2}
	rs, err := matrix.Drive([]matrix.Runner{a}, spec, matrix.Options{})
	require.NoError(t, err)
	ix := results.NewIndex(rs)
	got, ok := ix.Get("a", results.Cell{Workload: results.ProbeLatency, Prober: results.ProbeThread, CPUThreads: 3, SwitchIntervalS: 0.05})
	require.True(t, ok)
	assert.Equal(t, []float64{0.05, 3, 0.05, 3}, got.RawLatenciesS)
	io, ok := ix.Get("a", results.Cell{Workload: results.ProbeIO, Prober: results.ProbeThread, CPUThreads: 3, SwitchIntervalS: 0.005})
	require.True(t, ok)
	assert.Equal(t, 500.0, io.RoundTripsPerS.Median)
	require.NotNil(t, io.OfIdle)
	assert.InDelta(t, 0.25, io.OfIdle.Value, 1e-9, "250/s against 2000/s idle")
	assert.Equal(t, 0.25, io.PerWorker[0].AttachWaitS)
	assert.InDelta(t, 0.6, io.PerWorker[0].WaitShare, 1e-9, "1 - cpu 0.5 / (attach 0.25 + wall 1)")
}

func TestRunExample(t *testing.T) {
	c, _ := start(t, "a", "serve")
	out, err := c.RunExample("refcount.py")
	require.NoError(t, err)
	assert.Equal(t, "4\n5\n", out)
	_, err = c.RunExample("nope.py")
	assert.ErrorContains(t, err, `no such example "nope.py"`)
}

func TestUnknownOpIsAnErrorNotADeath(t *testing.T) {
	c, _ := start(t, "a", "serve")
	rep, err := c.call(Request{Op: "dance"})
	require.NoError(t, err)
	assert.Contains(t, rep.Error, `unknown op "dance"`)
	_, err = c.Unavailable(results.Cell{Workload: "count", Mode: "serial", Workers: 1})
	assert.NoError(t, err, "the worker is still there")
}

func TestStartFailures(t *testing.T) {
	cases := []struct {
		mode, want string
	}{
		{"hello-error", "a: importing pyexamples/gilbench.py: ModuleNotFoundError"},
		{"old", "the worker speaks protocol 1, this gilctl 3"},
		{"v2", "the worker speaks protocol 2, this gilctl 3; rebuild both (make build)"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			_, err := Start(Command{Name: "a", Argv: []string{os.Args[0]}, Env: []string{"GILCTL_TEST_WORKER=" + tc.mode}}, nil, &bytes.Buffer{})
			assert.ErrorContains(t, err, tc.want)
		})
	}
	_, err := Start(Command{Name: "a", Argv: []string{"/no/such/gilctl"}}, nil, &bytes.Buffer{})
	assert.ErrorContains(t, err, "starting /no/such/gilctl")
	_, err = Start(Command{Name: "a"}, nil, &bytes.Buffer{})
	assert.ErrorContains(t, err, "empty command")
}

func TestADeadWorkerBreaksTheMatrixCleanly(t *testing.T) {
	c, _ := start(t, "a", "die")
	_, err := c.Unavailable(results.Cell{Workload: "count", Mode: "serial", Workers: 1})
	require.ErrorIs(t, err, matrix.ErrBroken)
	// Writing to it or reading from it fails first, depending on timing.
	assert.ErrorContains(t, err, "a: the worker stopped")
	_, err = c.RunOnce(results.Cell{Workload: "count", Mode: "serial", Workers: 1})
	assert.ErrorIs(t, err, matrix.ErrBroken, "and stays broken")
}

func TestClosedClient(t *testing.T) {
	c, _ := start(t, "a", "serve")
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "closing twice is fine")
	_, err := c.RunOnce(results.Cell{Workload: "count", Mode: "serial", Workers: 1})
	assert.ErrorIs(t, err, matrix.ErrClosed)
	_, err = c.Unavailable(results.Cell{})
	assert.ErrorIs(t, err, matrix.ErrClosed)
}

func TestCommandString(t *testing.T) {
	c := Command{Name: "3.13t+gil", Argv: []string{"docker", "compose", "run", "-T", "py313t"}, Env: []string{"PYTHON_GIL=1"}}
	assert.Equal(t, "PYTHON_GIL=1 docker compose run -T py313t", c.String())
	assert.True(t, strings.HasPrefix(Command{Argv: []string{"x"}}.String(), "x"))
}

// TestGilkitOfAnOldWorker: a worker whose Hello does not say which gilkit
// it is is recorded as unknown, not as this gilkit.
func TestGilkitOfAnOldWorker(t *testing.T) {
	c, _ := start(t, "x", "no-gilkit")
	assert.Equal(t, version.Info{Version: version.Unknown, Revision: version.Unknown}, c.Gilkit())
}
