package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// TestDecodeSaysWhatAFileHolds: a file that is not a results document is
// an error naming what it is, never an empty set of results to judge.
func TestDecodeSaysWhatAFileHolds(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"not JSON", "hello", "f.json is not JSON (invalid character 'h' looking for beginning of value, at byte 1)"},
		{"truncated", `{"results": [`, "f.json is not JSON (unexpected end of JSON input"},
		{"a list", `[1, 2]`, "f.json holds a JSON array, not results"},
		{"a number", `42`, "f.json holds a JSON number, not results"},
		{"verdicts", `{"claims": [{"id": "refcount-4-5"}]}`, "f.json holds verdicts (what check --json and --save-verdicts write), not results"},
		{"probe --json", `{"latency": [], "io": []}`, "f.json holds probe --json output (probe --save writes the results), not results"},
		{"info --json", `{"name": "3.12", "free_threaded": false}`, "f.json holds info --json output, not results"},
		{"empty object", `{}`, "f.json holds an empty JSON object, not results"},
		{"another object", `{"b": 1, "a": 2}`, `f.json holds a JSON object with "a", "b", not results`},
		{"no results", `{"results": []}`, `f.json holds no results (its "results" list is empty)`},
		{"wrong shape", `{"results": [{"workers": "two"}]}`, "reading results from f.json: json: cannot unmarshal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode("f.json", []byte(tc.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	rs, err := Decode("f.json", []byte(`{"results": [], "probes": [{"workload": "probe-io", "mode": "thread", "workers": 0}]}`))
	require.NoError(t, err, "probes alone are results")
	assert.Len(t, rs, 1)
}

// TestGilkitRoundTrip: which gilkit measured a result is saved with it.
func TestGilkitRoundTrip(t *testing.T) {
	g := version.Info{Version: "v1.2.0", Revision: "abc"}
	r := Result{Interpreter: py312, Cell: Cell{Workload: "countdown", Mode: "serial", Workers: 1}, Gilkit: &g}
	path := t.TempDir() + "/r.json"
	require.NoError(t, WriteFile(path, []Result{r}))
	back, err := ReadFile(path)
	require.NoError(t, err)
	require.NotNil(t, back[0].Gilkit)
	assert.Equal(t, g, *back[0].Gilkit)
	assert.Equal(t, &g, NewProbeReport([]Result{{Gilkit: &g, Cell: Cell{Workload: ProbeIO, Prober: ProbeThread}}}).IO[0].Gilkit)
}
