package results

import "encoding/json"

// UnmarshalJSON reads a result, also one saved by a gilctl whose probe
// cells had no fields of their own: there a probe's "mode" named who probes
// and its "workers" the CPU-bound threads beside it. Such files are still
// read as they were meant.
func (r *Result) UnmarshalJSON(data []byte) error {
	type plain Result // the fields, without this method
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*r = Result(p)
	r.Cell = r.Cell.upgraded()
	return nil
}

// upgraded moves an old probe cell's prober and CPU-bound threads from
// Mode and Workers to their own fields.
func (c Cell) upgraded() Cell {
	if !c.IsProbe() || c.Prober != "" || c.Mode == "" {
		return c
	}
	c.Prober, c.CPUThreads = Prober(c.Mode), c.Workers
	c.Mode, c.Workers = "", 0
	return c
}
