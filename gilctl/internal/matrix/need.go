package matrix

import "github.com/gilkit/gilkit/gilctl/internal/results"

// Need is a statistic that something downstream (a claim's verdict) will
// judge from a few cells: the driver measures those cells together, round
// after round, pairing their runs, until Judge says more runs would not
// change the answer — or a cell's budget is spent.
type Need struct {
	// Label names it in progress lines and in the results' Stop detail.
	Label string
	// Uses are the interpreter-and-cell results it is computed from.
	Uses []results.Key
	// Judge says where it stands given the results measured so far.
	Judge func(results.Index) Judgement
}

// Judgement is where a Need stands after a round.
type Judgement struct {
	// Stop is "" while more runs could decide it; otherwise why it needs
	// no more: results.StopDecided, results.StopHopeless,
	// results.StopDrift, results.StopNA (or results.StopBudget).
	Stop string
	// Detail says where it stands in words.
	Detail string
	// Needed estimates how many runs of each cell it will take in all
	// (0: unknown); the progress estimate uses it.
	Needed int
}
