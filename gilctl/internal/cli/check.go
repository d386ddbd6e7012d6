package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/worker"
)

func runCheck(args []string, s streams) int {
	fs := newFlagSet("check", "check [flags]", []string{
		"bin/gilctl-3.12 check --quick                 # measure, then judge each claim on every interpreter",
		"gilctl check --from out/compare.json --json   # judge results measured by compare",
		"gilctl check --pythons 3.12,3.13t,3.13t+gil --retry-busy",
	}, s.err)
	pythons := fs.String("pythons", "", "interpreters (as for compare); default: every gilctl-NAME beside this one, with +gil variants")
	from := fs.String("from", "", "judge the results in this JSON file (from compare --save or bench --save) instead of measuring")
	sf := addSpecFlags(fs, specDefaults{workloads: "countdown,io-sleep,release-sha256,go-release,go-held,gopy,asyncio,probe-io", modes: "serial,threads,processes", workers: "1,2", cpuThreads: "0,1"})
	asJSON := fs.Bool("json", false, "print JSON")
	save := fs.String("save", "", "also write the verdicts as JSON to this file")
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	spec, err := sf.spec()
	if err != nil {
		return fail(s, "check", exitUsage, err)
	}
	usePlan(fs, &spec, check.ClaimCells())
	jd, err := sf.judging(spec)
	if err != nil {
		return fail(s, "check", exitUsage, err)
	}
	cmds, err := resolveTargets(*pythons)
	var clients []*worker.Client
	switch {
	case err != nil && *from != "" && *pythons == "":
		// Judging saved results needs no interpreter; only the two claims
		// that run Python say n/a.
		fmt.Fprintf(s.err, "gilctl check: %v\ngilctl check: judging %s without running refcount.py (its claim is n/a)\n", err, *from)
	case err != nil:
		return fail(s, "check", exitUsage, err)
	default:
		if clients, err = startWorkers(cmds, sf.workerArgs(), s); err != nil {
			return fail(s, "check", exitFailure, err)
		}
		defer closeAll(clients)
	}
	var rs []results.Result
	if *from != "" {
		rs, err = results.ReadFile(*from)
	} else {
		var opt matrix.Options
		if opt, err = sf.options(newProgress(s.err), spec, runners(clients)); err == nil {
			rs, err = matrix.Drive(runners(clients), spec, opt)
		}
	}
	if err != nil {
		return fail(s, "check", exitFailure, err)
	}
	facts, err := gatherFacts(clients)
	if err != nil {
		return fail(s, "check", exitFailure, err)
	}
	facts.Judging = jd
	rep := check.Evaluate(rs, facts)
	if *save != "" {
		if err := writeJSONFile(*save, rep); err != nil {
			return fail(s, "check", exitFailure, err)
		}
	}
	if *asJSON {
		if err := writeJSON(s.out, rep); err != nil {
			return fail(s, "check", exitFailure, err)
		}
		return exitOK
	}
	writeVerdicts(s.out, rep, jd)
	return exitOK
}

// writeJSON writes v as indented JSON; evidence reads "<= 1.15", not
// "\u003c= 1.15".
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeJSONFile(path string, v any) error {
	var buf bytes.Buffer
	if err := writeJSON(&buf, v); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("saving verdicts: %w", err)
	}
	return nil
}

// gatherFacts asks every worker for its identity and for what
// pyexamples/refcount.py prints on its interpreter.
func gatherFacts(clients []*worker.Client) (check.Facts, error) {
	facts := check.Facts{RefcountOutput: map[string]string{}, Info: map[string]results.Interpreter{}}
	for _, c := range clients {
		interp, _ := c.Identity()
		out, err := c.RunExample("refcount.py")
		if err != nil {
			return facts, fmt.Errorf("%s: running refcount.py: %w", interp.Name, err)
		}
		facts.RefcountOutput[interp.Name] = out
		facts.Info[interp.Name] = interp
	}
	return facts, nil
}

// output runs a command and returns its stdout, or an error holding its
// stderr.
func output(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%v: %s", err, strings.TrimSpace(errOut.String()))
	}
	return string(out), nil
}

func writeVerdicts(w io.Writer, rep check.Report, jd check.Judging) {
	for _, c := range rep.Claims {
		fmt.Fprintf(w, "%s\n  claim: %s\n  overall: %s\n", c.ID, c.Claim, c.Overall)
		for _, n := range c.Names() {
			v := c.Verdicts[n]
			fmt.Fprintf(w, "    %-10s %-14s %s\n", n, v.Verdict, v.Evidence)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, rep.Tally())
	fmt.Fprintln(w)
	fmt.Fprintln(w, check.ThresholdsOf(jd))
}
