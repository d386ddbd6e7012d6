// Package results is gilctl's model of a measurement: who ran it (the
// interpreter and the machine), what ran (a Cell of the matrix), the timed
// runs (Samples) and their summary (a Result), with statistics from
// golang.org/x/perf/benchmath. It imports neither cgo nor package embed, so
// everything that only reads, judges or prints results (check, report, the
// worker protocol) builds and tests with CGO_ENABLED=0.
package results
