package results

import (
	"encoding/json"
	"io"

	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// ProbeReport is `gilctl probe --json`: {"latency": [...], "io": [...]},
// one row per interpreter and probe cell. Skipped cells have "skipped"
// instead of figures.
type ProbeReport struct {
	Latency []LatencyRow `json:"latency"`
	IO      []IORow      `json:"io"`
}

// ProbeRow is what every probe row holds: who, beside how many CPU-bound
// threads at which switch interval, how many runs (or why none), and how
// busy the machine was.
type ProbeRow struct {
	Interpreter     Interpreter     `json:"interpreter"`
	Machine         machine.Machine `json:"machine"`
	Gilkit          *version.Info   `json:"gilkit,omitempty"`
	CPUThreads      int             `json:"cpu_threads"`
	SwitchIntervalS float64         `json:"switch_interval_s"`
	Skipped         string          `json:"skipped,omitempty"`
	Runs            int             `json:"runs,omitempty"`
	OtherLoad       *Load           `json:"other_load,omitempty"`
	Busy            bool            `json:"busy"`
}

func probeRow(r Result) ProbeRow {
	return ProbeRow{Interpreter: r.Interpreter, Machine: r.Machine, Gilkit: r.Gilkit, CPUThreads: r.CPUThreads, SwitchIntervalS: r.SwitchIntervalS,
		Skipped: r.Skipped, Runs: r.Runs, OtherLoad: r.OtherLoad, Busy: r.Busy()}
}

// LatencyRow is one latency probe cell on one interpreter.
type LatencyRow struct {
	ProbeRow
	// Probe is "goroutine" (attach through embed, timed in Go) or
	// "thread" (a Python thread's oversleep).
	Probe Prober `json:"probe"`
	// Samples is how many latencies the percentiles are taken over.
	Samples   int       `json:"samples,omitempty"`
	P50S      *float64  `json:"p50_s,omitempty"`
	P90S      *float64  `json:"p90_s,omitempty"`
	P99S      *float64  `json:"p99_s,omitempty"`
	MaxS      *float64  `json:"max_s,omitempty"`
	P99CI     *Interval `json:"p99_ci,omitempty"`
	Histogram []Bin     `json:"histogram,omitempty"`
}

// IORow is one I/O probe cell on one interpreter.
type IORow struct {
	ProbeRow
	// RoundTripsPerS is the median over runs, with its interval.
	RoundTripsPerS   *float64  `json:"roundtrips_per_s,omitempty"`
	RoundTripsCI     *Interval `json:"roundtrips_ci,omitempty"`
	PercentOfIdle    *float64  `json:"percent_of_idle,omitempty"`
	PercentOfIdleCI  *Interval `json:"percent_of_idle_ci,omitempty"`
	EchoDelayS       float64   `json:"echo_delay_s"`
	IdleBaselineBusy bool      `json:"idle_baseline_busy,omitempty"`
}

// Probes picks the probe results of rs.
func Probes(rs []Result) []Result {
	var out []Result
	for _, r := range rs {
		if r.IsProbe() {
			out = append(out, r)
		}
	}
	return out
}

// Workloads picks the results that are not probes.
func Workloads(rs []Result) []Result {
	var out []Result
	for _, r := range rs {
		if !r.IsProbe() {
			out = append(out, r)
		}
	}
	return out
}

func ptr(x float64) *float64 { return &x }

// NewProbeReport lays out the probe results of rs as `probe --json` shows
// them.
func NewProbeReport(rs []Result) ProbeReport {
	rep := ProbeReport{Latency: []LatencyRow{}, IO: []IORow{}}
	for _, r := range rs {
		switch r.Workload {
		case ProbeLatency:
			row := LatencyRow{ProbeRow: probeRow(r), Probe: r.Prober}
			if l := r.Latency; r.Skipped == "" && l != nil {
				row.Samples = l.N
				row.P50S, row.P90S, row.P99S, row.MaxS = ptr(l.P50S), ptr(l.P90S), ptr(l.P99S), ptr(l.MaxS)
				row.P99CI, row.Histogram = l.P99CI, l.Histogram
			}
			rep.Latency = append(rep.Latency, row)
		case ProbeIO:
			row := IORow{ProbeRow: probeRow(r), EchoDelayS: r.Params.ProbeIODelayS, IdleBaselineBusy: r.BaselineBusy}
			if s := r.RoundTripsPerS; r.Skipped == "" && s != nil {
				row.RoundTripsPerS, row.RoundTripsCI = ptr(s.Median), s.CI
			}
			if x := r.OfIdle; x != nil {
				row.PercentOfIdle = ptr(100 * x.Value)
				if x.CI != nil {
					row.PercentOfIdleCI = &Interval{Lo: 100 * x.CI.Lo, Hi: 100 * x.CI.Hi, Confidence: x.CI.Confidence}
				}
			}
			rep.IO = append(rep.IO, row)
		}
	}
	return rep
}

// WriteProbeJSON writes the probe results of rs as `probe --json` does.
func WriteProbeJSON(w io.Writer, rs []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(NewProbeReport(rs))
}
