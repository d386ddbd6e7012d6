package results

import (
	"fmt"
	"time"
)

// Cell is one point of the matrix: a workload spread one way over a number
// of workers, or a GIL probe. It is the one key by which results are found.
type Cell struct {
	Workload string `json:"workload"`
	// Mode and Workers say how timed work is spread; both are zero in a
	// probe cell.
	Mode    Mode `json:"mode,omitempty"`
	Workers int  `json:"workers,omitempty"`
	// Prober, CPUThreads and SwitchIntervalS shape a probe cell (IsProbe):
	// who probes, beside how many CPU-bound Python threads (0 or more),
	// at which sys.setswitchinterval. All three are zero in timed work.
	Prober          Prober  `json:"probe,omitempty"`
	CPUThreads      int     `json:"cpu_threads,omitempty"`
	SwitchIntervalS float64 `json:"switch_interval_s,omitempty"`
}

// String is the cell as people read it: "countdown threads x2", or for a
// probe "probe-latency goroutine, 2 CPU threads, switch 5ms".
func (c Cell) String() string {
	if c.IsProbe() {
		return fmt.Sprintf("%s %s, %s, switch %s", c.Workload, c.Prober, CPUThreads(c.CPUThreads), Seconds(c.SwitchIntervalS))
	}
	return fmt.Sprintf("%s %s x%d", c.Workload, c.Mode, c.Workers)
}

// IsProbe reports whether the cell is a GIL probe rather than timed work.
func (c Cell) IsProbe() bool {
	w, ok := LookupWorkload(c.Workload)
	return ok && w.IsProbe()
}

// Variant is what tells the cells of one workload apart besides their
// counts: the mode of timed work, who probes in a probe cell.
func (c Cell) Variant() string {
	if c.IsProbe() {
		return string(c.Prober)
	}
	return string(c.Mode)
}

// SerialCell is the cell's serial baseline, what its speedup divides by:
// the same workload and workers, the shares run one after another.
func (c Cell) SerialCell() Cell {
	return Cell{Workload: c.Workload, Mode: Serial, Workers: c.Workers}
}

// CPUThreads says "1 CPU thread", "2 CPU threads".
func CPUThreads(n int) string {
	if n == 1 {
		return "1 CPU thread"
	}
	return fmt.Sprintf("%d CPU threads", n)
}

// Seconds formats a duration given in seconds the way Go prints durations,
// rounded to what can be told apart: "5ms", "500µs", "1.2s".
func Seconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	case d >= time.Microsecond:
		return d.Round(100 * time.Nanosecond).String()
	}
	return d.String()
}

// Key identifies one result: an interpreter's run of a cell.
type Key struct {
	Interpreter string
	Cell
}

// Index finds results by interpreter and cell.
type Index map[Key]Result

// NewIndex indexes results; a later result for the same key wins.
func NewIndex(rs []Result) Index {
	ix := Index{}
	for _, r := range rs {
		ix[r.Key()] = r
	}
	return ix
}

// Get returns interpreter's result for cell.
func (ix Index) Get(interpreter string, c Cell) (Result, bool) {
	r, ok := ix[Key{interpreter, c}]
	return r, ok
}
