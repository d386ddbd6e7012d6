package cli

import (
	"errors"
	"fmt"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/report"
)

func runReport(args []string, s streams) int {
	fs := newFlagSet(s, "report", "report --results FILE.json [--verdicts FILE.json] [--out DIR]", []string{
		"gilctl report --results out/compare.json --verdicts out/check.json --out out/",
		"gilctl bench --quick --save b.json && gilctl report --results b.json --out /tmp/r",
	})
	resultsPath := fs.String("results", "", "the results to show: the `FILE` that bench, compare or probe --save wrote (required)")
	verdictsPath := fs.String("verdicts", "", "the verdicts to show: the `FILE` that check --save-verdicts wrote (optional)")
	fs.StringVar(verdictsPath, "check", "", "the old name of --verdicts")
	fs.hide("check")
	out := fs.String("out", "out", "folder to write report.html, the charts (.svg and .png) and results.json into")
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	if *resultsPath == "" {
		return fail(s, "report", exitUsage, errors.New("--results is required"))
	}
	if s.dryRun {
		return exitOK
	}
	rs, err := readResults(*resultsPath)
	if err != nil {
		return fail(s, "report", exitUsage, err)
	}
	var verdicts *check.Report
	if *verdictsPath != "" {
		if verdicts, err = readVerdicts(*verdictsPath); err != nil {
			return fail(s, "report", exitUsage, err)
		}
	}
	path, err := report.WriteSite(*out, rs, verdicts)
	if err != nil {
		return fail(s, "report", exitFailure, err)
	}
	fmt.Fprintf(s.out, "report: %s\n", path)
	return exitOK
}
