// Package worker runs matrix cells in another process: `gilctl worker`
// serves a matrix.Runner over its stdin and stdout as JSON lines, and Client
// is the matrix.Runner that talks to such a process. The process is started
// from a Command value (argv and environment), so it can be a gilctl binary
// beside this one, the same binary with PYTHON_GIL=1, or a container
// (`docker compose run -T py313t`). It does not import embed.
//
// The protocol, one JSON object per line:
//
//	worker → parent  {"protocol": 3, "interpreter": {...}, "machine": {...}, "gilkit": {...}}  (or {"error": "..."})
//	parent → worker  {"op": "unavailable", "cell": {"workload": "countdown", "mode": "threads", "workers": 2}}
//	worker → parent  {"skipped": "reason"}            ("" or absent: it can run)
//	parent → worker  {"op": "run", "cell": {...}}
//	worker → parent  {"sample": {...}}  or  {"error": "the run failed: ..."}
//	parent → worker  {"op": "run", "cell": {"workload": "probe-latency", "probe": "goroutine", "cpu_threads": 2, "switch_interval_s": 0.005}}
//	worker → parent  {"sample": {"wall_s": 0.5, "latencies_s": [0.0051, ...], ...}}  (probe-io: "roundtrips")
//	parent → worker  {"op": "example", "file": "refcount.py"}
//	worker → parent  {"output": "what it printed"}  or  {"error": "..."}
//
// A GIL probe is a cell like any other (results.Cell.IsProbe): the same
// "run" op runs it once and its sample carries the latencies or the round
// trips. Version 2 added the probe cells' switch interval to the cell and
// the probes' figures and per-worker attach waits to the sample; version 3
// gave probe cells fields of their own (who probes, CPU-bound threads)
// where they had used "mode" and "workers". A worker of another version
// would misread cells or drop figures, so it is refused. The Hello's
// "gilkit" (which gilkit the worker was built from) is optional: a worker
// without it is recorded as an unknown gilkit.
//
// The worker ends when its input ends.
package worker

import (
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// Protocol is the version of the protocol; a worker that says another one
// is refused with a message to rebuild.
const Protocol = 3

// Hello is the first line a worker writes: who it is.
type Hello struct {
	Protocol    int                 `json:"protocol"`
	Interpreter results.Interpreter `json:"interpreter"`
	Machine     machine.Machine     `json:"machine"`
	// Gilkit is the gilkit the worker binary was built from.
	Gilkit *version.Info `json:"gilkit,omitempty"`
	Error  string        `json:"error,omitempty"`
}

// Operations of a Request.
const (
	OpUnavailable = "unavailable"
	OpRun         = "run"
	OpExample     = "example"
)

// Request asks a worker for one thing.
type Request struct {
	Op   string       `json:"op"`
	Cell results.Cell `json:"cell,omitzero"`
	// File is the pyexamples file to run for OpExample.
	File string `json:"file,omitempty"`
}

// Reply is a worker's answer to one Request.
type Reply struct {
	Skipped string          `json:"skipped,omitempty"`
	Sample  *results.Sample `json:"sample,omitempty"`
	Output  string          `json:"output,omitempty"`
	Error   string          `json:"error,omitempty"`
}
