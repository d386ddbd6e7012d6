package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkloadsInReportOrder(t *testing.T) {
	assert.Equal(t, []string{"countdown", "io-sleep", "io-socket", "io-file", "release-sha256", "release-zlib", "release-numpy",
		"go-release", "go-held", "gopy", "asyncio"}, NamesOf(TimedWorkloads()))
	assert.Equal(t, []string{"probe-latency", "probe-io"}, NamesOf(ProbeWorkloads()))
	assert.Equal(t, append(NamesOf(TimedWorkloads()), NamesOf(ProbeWorkloads())...), WorkloadNames())
	assert.Equal(t, []string{"countdown", "io", "release", "go", "gopy", "asyncio", "probes"}, GroupNames())
}

func TestGroups(t *testing.T) {
	cases := []struct {
		group string
		want  []string
	}{
		{"countdown", []string{"countdown"}},
		{"io", []string{"io-sleep", "io-socket", "io-file"}},
		{"release", []string{"release-sha256", "release-zlib", "release-numpy"}},
		{"go", []string{"go-release", "go-held"}},
		{"probes", []string{"probe-latency", "probe-io"}},
	}
	for _, tc := range cases {
		t.Run(tc.group, func(t *testing.T) {
			got, ok := GroupNamed(tc.group)
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
			for _, name := range got {
				w, ok := LookupWorkload(name)
				require.True(t, ok)
				assert.Equal(t, tc.group, w.Group)
			}
		})
	}
	_, ok := GroupNamed("io-sleep")
	assert.False(t, ok, "a workload is not a group")
}

func TestWorkloadFacts(t *testing.T) {
	gopy, _ := LookupWorkload(Gopy)
	assert.True(t, gopy.RunsIn(Threads))
	assert.False(t, gopy.RunsIn(Processes), "gopy's extension runs in a plain python gilctl starts")
	countdown, _ := LookupWorkload(Countdown)
	for _, m := range Modes() {
		assert.True(t, countdown.RunsIn(m), m)
	}
	held, _ := LookupWorkload(GoHeld)
	assert.True(t, held.MainInterpreterOnly)
	assert.False(t, countdown.MainInterpreterOnly)
	lat, _ := LookupWorkload(ProbeLatency)
	assert.True(t, lat.IsProbe())
	assert.Equal(t, []Prober{ProbeGoroutine, ProbeThread}, lat.Probers)
	assert.Equal(t, "latency", lat.Short())
	_, ok := LookupWorkload("my_work.py")
	assert.False(t, ok, "users' scripts are not built in")
}

func TestParseProbe(t *testing.T) {
	p, err := ParseProbe("io")
	require.NoError(t, err)
	assert.Equal(t, ProbeIO, p.Name)
	_, err = ParseProbe("nope")
	assert.EqualError(t, err, `unknown probe "nope" (known: latency, io)`)
}
