package check

import (
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// Comparison is one statistic a claim judges on given interpreters: the
// ratio of a quantity of two measured cells — Num's runs divided by Den's,
// paired run by run — held against a threshold. Claims declare theirs as
// ratios (claims.go), so that the driver measures exactly the cells they
// need, for as long as they need (Needs), and Evaluate judges them by the
// same rule.
type Comparison struct {
	// Claim is the id of the claim that makes it.
	Claim    string
	Num, Den results.Key
	Quantity results.Quantity
	Rule     rule
}

// Label names the comparison in progress lines and evidence.
func (c Comparison) Label() string {
	on := c.Num.Interpreter
	if c.Den.Interpreter != on {
		on += " vs " + c.Den.Interpreter
	}
	return fmt.Sprintf("%s on %s (%s / %s, %s)", c.Claim, on, c.Num.Cell, c.Den.Cell, c.Rule)
}

// ratio is a statistic as a claim declares it: Quantity of cell Num over
// cell Den, both on the interpreter judged, held against Rule.
type ratio struct {
	// Label names what it measures in the claim's evidence, when the
	// claim judges several (release-gil-parallel's libraries).
	Label    string
	Num, Den results.Cell
	Quantity results.Quantity
	Rule     rule
	// OnBaseline puts Den on the GIL build gilBaseline picks for the
	// interpreter judged, a free-threaded one with the GIL off; other
	// interpreters have no such ratio.
	OnBaseline bool
	// Optional ratios are left out of the evidence where their cells were
	// not in the run.
	Optional bool
	// Control ratios are shown beside the verdict, never judged: the
	// driver measures their cells without waiting for a decision.
	Control bool
}

// speedup is how many times as fast as its serial baseline cell c ran:
// serial time / time in c.
func speedup(c results.Cell, r rule) ratio {
	return ratio{Num: c.SerialCell(), Den: c, Quantity: results.WallTime, Rule: r}
}

// labelled is x named label in the evidence.
func labelled(label string, x ratio) ratio {
	x.Label = label
	return x
}

// cells are the cells the ratio reads.
func (x ratio) cells() []results.Cell { return []results.Cell{x.Num, x.Den} }

// on is the comparison claim id makes with x on interpreter n, whose GIL
// baseline (for OnBaseline) is base, with the workload sizes p.
func (x ratio) on(id, n, base string, p results.Params) Comparison {
	den := n
	if x.OnBaseline {
		den = base
	}
	return Comparison{Claim: id, Num: results.Key{Interpreter: n, Cell: x.Num}, Den: results.Key{Interpreter: den, Cell: x.Den},
		Quantity: x.Quantity, Rule: x.Rule.at(p)}
}

// comparisons lists every comparison the claims make on interpreter n
// whose two cells have(): the driver's needs. A ratio on the GIL baseline
// is made for a free-threaded n with the GIL off that has one among
// candidates.
func comparisons(n string, info map[string]results.Interpreter, candidates []results.Interpreter, p results.Params,
	have func(results.Key) bool) []Comparison {
	var out []Comparison
	for _, cl := range claims {
		for _, x := range cl.Ratios {
			if x.Control {
				continue
			}
			base := ""
			if x.OnBaseline {
				i, ok := info[n]
				if !ok || !i.FreeThreaded || i.GILEnabled {
					continue
				}
				b, _, ok := gilBaseline(i, candidates)
				if !ok {
					continue
				}
				base = b.Name
			}
			if c := x.on(cl.ID, n, base, p); have(c.Num) && have(c.Den) {
				out = append(out, c)
			}
		}
	}
	return out
}

// ClaimCells are the cells the claims' ratios read, in the order reports
// list cells (results.Plan): what a run that is only after verdicts (make
// bench QUICK=1, check) measures.
func ClaimCells() []results.Cell {
	var cells []results.Cell
	for _, cl := range claims {
		for _, x := range cl.Ratios {
			cells = append(cells, x.cells()...)
		}
	}
	return results.Plan(cells)
}
