package check

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/stats"
)

var (
	gil312 = bench.Interpreter{Name: "3.12", Version: "3.12.1", GILEnabled: true}
	ft313  = bench.Interpreter{Name: "3.13t", Version: "3.13.15", FreeThreaded: true}
	ft313g = bench.Interpreter{Name: "3.13t+gil", Version: "3.13.15", FreeThreaded: true, GILEnabled: true}
)

// cell builds a result with a given median wall time and speedup.
func cell(i bench.Interpreter, workload, mode string, workers int, wall, speedup float64) bench.Result {
	w := stats.Summary{N: 3, Median: wall, Mean: wall, Min: wall, Max: wall}
	r := bench.Result{Interpreter: i, Workload: workload, Mode: mode, Workers: workers, WallS: &w, CPUS: &w,
		Params: bench.Params{IOOps: 8, SleepS: 0.02}}
	if speedup > 0 {
		r.Speedup = &stats.Ratio{Value: speedup, Err: 0.01}
	}
	return r
}

func results() []bench.Result {
	var out []bench.Result
	for _, c := range []struct {
		i                             bench.Interpreter
		cpuThreads, procs, sha, ioThr float64
		serialWall                    float64
	}{
		{gil312, 0.98, 1.8, 1.9, 2.0, 1.0},
		{ft313, 1.9, 1.9, 1.9, 2.0, 1.7},
		{ft313g, 1.0, 1.9, 1.8, 2.0, 1.75},
	} {
		out = append(out,
			cell(c.i, "countdown", "serial", 1, c.serialWall, 1),
			cell(c.i, "countdown", "threads", 2, c.serialWall/c.cpuThreads, c.cpuThreads),
			cell(c.i, "countdown", "processes", 2, c.serialWall/c.procs, c.procs),
			cell(c.i, "release-sha256", "threads", 2, 0.1, c.sha),
			cell(c.i, "io-sleep", "threads", 2, 0.08, c.ioThr),
			cell(c.i, "io-sleep", "serial", 1, 0.16, 1),
			cell(c.i, "asyncio", "serial", 1, 0.021, 1),
		)
	}
	return out
}

func facts() Facts {
	return Facts{
		RefcountOutput: map[string]string{"3.12": "4294967295\n4294967295\n", "3.13t": "4294967295\n4294967295\n", "3.13t+gil": "4294967295\n4294967295\n", "3.11": "4\n5\n"},
		Info:           map[string]bench.Interpreter{"3.11": {Name: "3.11", Version: "3.11.7", GILEnabled: true}},
	}
}

func find(t *testing.T, r Report, id string) Claim {
	for _, c := range r.Claims {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("claim %s missing", id)
	return Claim{}
}

func TestVerdicts(t *testing.T) {
	r := Evaluate(results(), facts())
	cases := []struct {
		id, interp, want, evidence string
	}{
		{"cpu-threads-no-speedup", "3.12", Holds, "0.98"},
		{"cpu-threads-no-speedup", "3.13t", DoesNotHold, "1.90"},
		{"cpu-threads-no-speedup", "3.13t+gil", Holds, "holds if <= 1.15"},
		{"cpu-threads-no-speedup", "3.11", NA, "not measured"},
		{"multiprocessing-parallel", "3.12", Holds, "1.80"},
		{"release-gil-parallel", "3.13t+gil", Holds, "1.80"},
		{"io-threads-overlap", "3.13t", Holds, "2.00"},
		{"asyncio-overlap", "3.12", Holds, "7.6x"},
		{"refcount-4-5", "3.12", DoesNotHold, "4294967295 4294967295"},
		{"refcount-4-5", "3.11", Holds, "printed 4 5"},
		{"free-threaded-build", "3.12", NA, "GIL build"},
		{"free-threaded-build", "3.13t", Holds, "PYTHON_GIL=1"},
		{"nogil-single-thread-cost", "3.13t", Holds, "70% slower"},
		{"nogil-single-thread-cost", "3.12", NA, "has a GIL"},
	}
	for _, tc := range cases {
		t.Run(tc.id+"/"+tc.interp, func(t *testing.T) {
			v, ok := find(t, r, tc.id).Verdicts[tc.interp]
			require.True(t, ok)
			assert.Equal(t, tc.want, v.Verdict, v.Evidence)
			assert.Contains(t, v.Evidence, tc.evidence)
		})
	}
}

func TestOverall(t *testing.T) {
	r := Evaluate(results(), facts())
	assert.Equal(t, "holds only on 3.12, 3.13t+gil", find(t, r, "cpu-threads-no-speedup").Overall)
	assert.Equal(t, Holds, find(t, r, "multiprocessing-parallel").Overall)
	assert.Equal(t, "holds only on 3.11", find(t, r, "refcount-4-5").Overall)
	assert.Equal(t, NA, overall(map[string]Verdict{"x": {NA, ""}}))
	assert.Equal(t, DoesNotHold, overall(map[string]Verdict{"x": {DoesNotHold, ""}, "y": {NA, ""}}))
}

func TestEveryDesignedClaimIsPresent(t *testing.T) {
	r := Evaluate(results(), facts())
	for _, id := range []string{"cpu-threads-no-speedup", "io-threads-overlap", "multiprocessing-parallel", "release-gil-parallel",
		"asyncio-overlap", "refcount-4-5", "free-threaded-build", "nogil-single-thread-cost"} {
		find(t, r, id)
	}
}

func TestSkippedCellIsNotAVerdict(t *testing.T) {
	rs := results()
	rs = append(rs, bench.Result{Interpreter: gil312, Workload: "countdown", Mode: "subinterpreters", Workers: 2, Skipped: "no"})
	ix := newIndex(rs)
	v := ix.speedupVerdict("3.12", "countdown", "subinterpreters", 2, func(float64) bool { return true }, "")
	assert.Equal(t, NA, v.Verdict)
	assert.Contains(t, v.Evidence, "skipped: no")
}
