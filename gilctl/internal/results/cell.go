package results

import "fmt"

// Cell is one point of the matrix: a workload spread one way over a number
// of workers. It is the one key by which results are found.
type Cell struct {
	Workload string `json:"workload"`
	Mode     string `json:"mode"`
	Workers  int    `json:"workers"`
}

// String is the cell as people read it: "countdown threads x2".
func (c Cell) String() string { return fmt.Sprintf("%s %s x%d", c.Workload, c.Mode, c.Workers) }

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
