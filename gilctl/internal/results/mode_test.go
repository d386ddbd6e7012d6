package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModesKnowWhatTheyNeed(t *testing.T) {
	assert.Equal(t, []Mode{Serial, Threads, Goroutines, Processes, Subinterpreters}, Modes(), "report order")
	cases := []struct {
		mode                                Mode
		driver                              string
		spreadByGo, sharesGIL, ownProcesses bool
	}{
		{Serial, "run_serial", false, true, false},
		{Threads, "run_threads", false, true, false},
		{Goroutines, "share", true, true, false},
		{Processes, "run_processes", false, false, true},
		{Subinterpreters, "share", true, false, false},
		{"fibers", "", false, false, false},
	}
	for _, tc := range cases {
		t.Run(string(tc.mode), func(t *testing.T) {
			assert.Equal(t, tc.driver, tc.mode.Driver())
			assert.Equal(t, tc.spreadByGo, tc.mode.SpreadByGo())
			assert.Equal(t, tc.sharesGIL, tc.mode.SharesGIL())
			assert.Equal(t, tc.ownProcesses, tc.mode.OwnProcesses())
			assert.Equal(t, tc.driver != "", tc.mode.Known())
		})
	}
}

func TestModeUnavailable(t *testing.T) {
	py311 := Interpreter{Name: "3.11", Version: "3.11.9"}
	py312 := Interpreter{Name: "3.12", Version: "3.12.1"}
	py315 := Interpreter{Name: "3.15", Version: "3.15.0a1"}
	cases := []struct {
		mode   Mode
		interp Interpreter
		want   string
	}{
		{Serial, py311, ""},
		{Processes, py311, ""},
		{Subinterpreters, py311, "subinterpreters with their own GIL need CPython 3.12 or newer (this is 3.11.9)"},
		{Subinterpreters, py312, ""},
		{Subinterpreters, py315, ""},
		{Subinterpreters, Interpreter{Version: "unknown"}, ""}, // the runner finds out
		{"fibers", py312, `unknown mode "fibers"`},
	}
	for _, tc := range cases {
		t.Run(string(tc.mode)+" on "+tc.interp.Version, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.mode.Unavailable(tc.interp))
		})
	}
}

func TestParseMode(t *testing.T) {
	m, err := ParseMode("goroutines")
	require.NoError(t, err)
	assert.Equal(t, Goroutines, m)
	_, err = ParseMode("fibers")
	assert.EqualError(t, err, `unknown mode "fibers" (known: serial, threads, goroutines, processes, subinterpreters)`)
}
