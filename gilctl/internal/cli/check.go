package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/bench"
	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/compare"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "check [flags]", []string{
		"bin/gilctl-3.12 check --quick                 # measure, then judge each claim on every interpreter",
		"gilctl check --from out/compare.json --json   # judge results measured by compare",
		"gilctl check --pythons 3.12,3.13t,3.13t+gil",
	}, stderr)
	pythons := fs.String("pythons", "", "interpreters (as for compare); default: every gilctl-NAME beside this one, with +gil variants")
	from := fs.String("from", "", "judge the results in this JSON file (from compare --save or bench --save) instead of measuring")
	sf := addSpecFlags(fs, "countdown,io-sleep,release-sha256,asyncio", "serial,threads,processes", "1,2")
	asJSON := fs.Bool("json", false, "print JSON")
	save := fs.String("save", "", "also write the verdicts as JSON to this file")
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	spec, err := sf.spec()
	if err != nil {
		fmt.Fprintf(stderr, "gilctl check: %v\n", err)
		return exitUsage
	}
	targets, err := resolveTargets(*pythons)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl check: %v\n", err)
		return exitUsage
	}
	var results []bench.Result
	if *from != "" {
		results, err = loadResults(*from)
	} else {
		results, err = compare.Run(targets, compare.Options{Spec: spec, WorkerArgs: sf.workerArgs(), Progress: stderr, Stderr: stderr})
	}
	if err != nil {
		fmt.Fprintf(stderr, "gilctl check: %v\n", err)
		return exitFailure
	}
	facts, err := gatherFacts(targets, *sf.examples)
	if err != nil {
		fmt.Fprintf(stderr, "gilctl check: %v\n", err)
		return exitFailure
	}
	rep := check.Evaluate(results, facts)
	if *save != "" {
		if err := writeJSONFile(*save, rep); err != nil {
			fmt.Fprintf(stderr, "gilctl check: %v\n", err)
			return exitFailure
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return exitFailure
		}
		return exitOK
	}
	writeVerdicts(stdout, rep)
	return exitOK
}

func loadResults(path string) ([]bench.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep bench.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep.Results, nil
}

func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// gatherFacts runs refcount.py and `info --json` on every target.
func gatherFacts(targets []compare.Target, examplesFlag string) (check.Facts, error) {
	dir, err := findExamples(examplesFlag)
	if err != nil {
		return check.Facts{}, err
	}
	facts := check.Facts{RefcountOutput: map[string]string{}, Info: map[string]bench.Interpreter{}}
	for _, t := range targets {
		out, err := runTarget(t, "run", filepath.Join(dir, "refcount.py"))
		if err != nil {
			return facts, fmt.Errorf("%s: running refcount.py: %w", t.Name, err)
		}
		facts.RefcountOutput[t.Name] = out
		info, err := runTarget(t, "info", "--json")
		if err != nil {
			return facts, fmt.Errorf("%s: info: %w", t.Name, err)
		}
		var i bench.Interpreter
		if err := json.Unmarshal([]byte(info), &i); err != nil {
			return facts, fmt.Errorf("%s: info: %w", t.Name, err)
		}
		i.Name = t.Name
		facts.Info[t.Name] = i
	}
	return facts, nil
}

func runTarget(t compare.Target, args ...string) (string, error) {
	cmd := exec.Command(t.Binary, args...)
	cmd.Env = append(os.Environ(), t.Env...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, strings.TrimSpace(errOut.String()))
	}
	return string(out), nil
}

func writeVerdicts(w io.Writer, rep check.Report) {
	for _, c := range rep.Claims {
		fmt.Fprintf(w, "%s\n  claim: %s\n  overall: %s\n", c.ID, c.Claim, c.Overall)
		for _, n := range c.Names() {
			v := c.Verdicts[n]
			fmt.Fprintf(w, "    %-10s %-14s %s\n", n, v.Verdict, v.Evidence)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Thresholds: no speedup <= %.2fx; parallel >= %.2fx with 2 workers; a slowdown counts above %.0f%%.\n",
		check.NoSpeedupMax, check.ParallelMin, check.SlowdownMinPct)
}
