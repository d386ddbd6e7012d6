package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/report"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

func runReport(args []string, s streams) int {
	fs := newFlagSet("report", "report --results FILE.json [--check FILE.json] [--out DIR]", []string{
		"gilctl report --results out/compare.json --check out/check.json --out out/",
		"gilctl bench --quick --save b.json && gilctl report --results b.json --out /tmp/r",
	}, s.err)
	resultsPath := fs.String("results", "", "results JSON from compare --save or bench --save (required)")
	checkPath := fs.String("check", "", "verdicts JSON from check --save (optional)")
	out := fs.String("out", "out", "folder to write report.html, the charts (.svg and .png) and results.json into")
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	if *resultsPath == "" {
		fmt.Fprintln(s.err, "gilctl report: --results is required")
		fs.Usage()
		return exitUsage
	}
	rs, err := results.ReadFile(*resultsPath)
	if err != nil {
		return fail(s, "report", exitFailure, err)
	}
	if len(rs) == 0 {
		return fail(s, "report", exitFailure, fmt.Errorf("%s holds no results", *resultsPath))
	}
	var verdicts *check.Report
	if *checkPath != "" {
		if verdicts, err = readVerdicts(*checkPath); err != nil {
			return fail(s, "report", exitFailure, err)
		}
	}
	path, err := report.WriteSite(*out, rs, verdicts)
	if err != nil {
		return fail(s, "report", exitFailure, err)
	}
	fmt.Fprintf(s.out, "report: %s\n", path)
	return exitOK
}

func readVerdicts(path string) (*check.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading verdicts: %w", err)
	}
	var rep check.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("reading verdicts from %s: %w", path, err)
	}
	if len(rep.Claims) == 0 {
		return nil, errors.New(path + " holds no claims (is it check --save output?)")
	}
	return &rep, nil
}
