package results

import (
	"fmt"
	"math"
)

// DefaultBusyCores is the share of a core that other processes may use
// during a cell before it is flagged as measured on a busy machine. A
// neighbour that keeps one of two cores busy turns a 1.9x speedup into
// 0.7x; a quarter of a core is already visible in CPU-bound cells.
const DefaultBusyCores = 0.25

// Load is what other processes (and the hypervisor, as steal time) did
// during a cell's counted runs, in cores: 1.0 is one core kept busy the
// whole time.
type Load struct {
	// OtherCores is the CPU time of everything but gilctl's own process
	// tree, divided by the wall time of the runs; it includes steal.
	OtherCores float64 `json:"other_cores"`
	// StealCores is the part of it the hypervisor took (0 on bare metal).
	StealCores float64 `json:"steal_cores"`
	// ResolutionCores is how precisely OtherCores is known: the kernel
	// counts CPU time in ticks of 10 ms, so a short cell cannot be judged
	// busy below this.
	ResolutionCores float64 `json:"resolution_cores"`
	// ThresholdCores is the share above which the cell is Busy.
	ThresholdCores float64 `json:"threshold_cores"`
	// Busy is set when OtherCores - ResolutionCores > ThresholdCores.
	Busy bool `json:"busy"`
	// Attempts is how many times the cell was measured (more than 1 when
	// --retry-busy re-ran it); the least busy attempt is kept.
	Attempts int `json:"attempts,omitempty"`
}

// String says it in words: "other processes used 0.93 ± 0.05 cores".
func (l Load) String() string {
	s := fmt.Sprintf("other processes used %.2f ± %.2f cores", l.OtherCores, l.ResolutionCores)
	if l.StealCores >= 0.01 {
		s += fmt.Sprintf(" (%.2f of it steal time)", l.StealCores)
	}
	return s
}

// SummarizeLoad adds up the load measured around each run; nil when no run
// measured it.
func SummarizeLoad(samples []Sample, thresholdCores float64) *Load {
	var wall, other, steal, variance float64
	n := 0
	for _, s := range samples {
		if s.Load == nil || s.Load.WallS <= 0 {
			continue
		}
		n++
		wall += s.Load.WallS
		other += s.Load.OtherCPUS
		steal += s.Load.StealS
		variance += s.Load.ResolutionS * s.Load.ResolutionS
	}
	if n == 0 {
		return nil
	}
	l := &Load{
		OtherCores:      math.Max(0, other/wall),
		StealCores:      steal / wall,
		ResolutionCores: math.Sqrt(variance) / wall,
		ThresholdCores:  thresholdCores,
		Attempts:        1,
	}
	l.Busy = l.OtherCores-l.ResolutionCores > thresholdCores
	return l
}
