package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/report"
)

func runReport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", "report --results FILE.json [--check FILE.json] [--out DIR]", []string{
		"gilctl report --results out/compare.json --check out/check.json --out out/",
		"gilctl bench --quick --save b.json && gilctl report --results b.json --out /tmp/r",
	}, stderr)
	resultsPath := fs.String("results", "", "results JSON from compare --save or bench --save (required)")
	checkPath := fs.String("check", "", "verdicts JSON from check --save (optional)")
	out := fs.String("out", "out", "folder to write report.html, the charts (.svg and .png) and results.json into")
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	if *resultsPath == "" {
		fmt.Fprintln(stderr, "gilctl report: --results is required")
		fs.Usage()
		return exitUsage
	}
	results, err := loadResults(*resultsPath)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl report: %v\n", err)
		return exitFailure
	}
	var verdicts *check.Report
	if *checkPath != "" {
		data, err := os.ReadFile(*checkPath)
		if err == nil {
			verdicts = &check.Report{}
			err = json.Unmarshal(data, verdicts)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gilctl report: %s: %v\n", *checkPath, err)
			return exitFailure
		}
	}
	path, err := report.WriteSite(*out, results, verdicts)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl report: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "report: %s\n", path)
	return exitOK
}
