package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/matrix"
	"github.com/gilkit/gilkit/gilctl/internal/results"
	"github.com/gilkit/gilkit/gilctl/internal/version"
	"github.com/gilkit/gilkit/gilctl/internal/worker"
)

func runCheck(args []string, s streams) int {
	fs := newFlagSet(s, "check", "check [flags]", []string{
		"bin/gilctl-3.12 check --quick                 # measure, then judge each claim on every interpreter",
		"gilctl check --results out/compare.json --json   # judge the results compare --save wrote",
		"gilctl check --pythons 3.12,3.13t,3.13t+gil --retry-busy --save out/check-results.json --save-verdicts out/check.json",
	})
	pythons := fs.String("pythons", "", "interpreters (as for compare); default: every gilctl-NAME beside this one, with +gil variants")
	resultsPath := fs.String("results", "", "judge the results in this `FILE` (what bench, compare or probe --save wrote) instead of measuring")
	fs.StringVar(resultsPath, "from", "", "the old name of --results")
	fs.hide("from")
	sf := addSpecFlags(fs.FlagSet, defaultsOf(check.ClaimCells()))
	save := addSaveFlag(fs.FlagSet)
	saveVerdicts := fs.String("save-verdicts", "", "also write the verdicts as JSON to `FILE` (the file --verdicts of report reads)")
	format := addFormatFlags(fs.FlagSet, documentFormats)
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	spec, err := sf.spec()
	if err != nil {
		return fail(s, "check", exitUsage, err)
	}
	usePlan(fs.FlagSet, &spec, check.ClaimCells())
	jd, err := sf.judging(spec)
	if err != nil {
		return fail(s, "check", exitUsage, err)
	}
	name, err := format.chosen(fs.FlagSet)
	if err != nil {
		return fail(s, "check", exitUsage, err)
	}
	if err := checkSaves(fs.FlagSet, *resultsPath, save, saveVerdicts, s); err != nil {
		return fail(s, "check", exitUsage, err)
	}
	if s.dryRun {
		return exitOK
	}
	var rs []results.Result
	if *resultsPath != "" {
		if rs, err = readResults(*resultsPath); err != nil {
			return fail(s, "check", exitUsage, err)
		}
	}
	cmds, err := resolveTargets(*pythons)
	var clients []*worker.Client
	switch {
	case err != nil && *resultsPath != "" && *pythons == "":
		// Judging saved results needs no interpreter; only the two claims
		// that run Python say n/a.
		fmt.Fprintf(s.err, "%s check: %v\n%s check: judging %s without running refcount.py (its claim is n/a)\n", s.prog, err, s.prog, *resultsPath)
	case err != nil:
		return fail(s, "check", exitUsage, err)
	default:
		if clients, err = startWorkers(cmds, sf.workerArgs(), s); err != nil {
			return fail(s, "check", exitFailure, err)
		}
		defer closeAll(clients)
	}
	if *resultsPath == "" {
		opt, err := sf.options(newProgress(s.err), spec, runners(clients))
		if err != nil {
			return fail(s, "check", exitUsage, err)
		}
		rs, err = matrix.Drive(runners(clients), spec, opt)
		stampGilkit(rs, gilkitOf(clients))
		if err == nil && *save != "" {
			err = results.WriteFile(*save, rs)
		}
		if err != nil {
			return fail(s, "check", exitFailure, err)
		}
	}
	facts, err := gatherFacts(clients)
	if err != nil {
		return fail(s, "check", exitFailure, err)
	}
	facts.Judging = jd
	rep := verdictsDoc{Gilkit: version.Current(), Report: check.Evaluate(rs, facts)}
	if *saveVerdicts != "" {
		if err := writeJSONFile(*saveVerdicts, rep); err != nil {
			return fail(s, "check", exitFailure, err)
		}
	}
	if name == "json" {
		if err := writeJSON(s.out, rep); err != nil {
			return fail(s, "check", exitFailure, err)
		}
		return exitOK
	}
	writeVerdicts(s.out, rep.Report, jd)
	return exitOK
}

// verdictsDoc is what check --json prints and --save-verdicts writes: the
// claims, and which gilkit judged them.
type verdictsDoc struct {
	Gilkit version.Info `json:"gilkit"`
	check.Report
}

// checkSaves keeps --save to its one meaning. Judging saved results
// measures nothing, so --save has nothing to write then; but command lines
// of the old spelling (--from FILE --save FILE, when --save wrote the
// verdicts) still do what they did, with a note.
func checkSaves(fs *flag.FlagSet, resultsPath string, save, saveVerdicts *string, s streams) error {
	if *save == "" || resultsPath == "" {
		return nil
	}
	oldSpelling := false
	fs.Visit(func(f *flag.Flag) { oldSpelling = oldSpelling || f.Name == "from" })
	if !oldSpelling || *saveVerdicts != "" {
		return fmt.Errorf("--save writes the results measured, and these come from %s: to write the verdicts, use --save-verdicts %s", resultsPath, *save)
	}
	fmt.Fprintf(s.err, "%s check: --from and --save are old spellings: this writes the verdicts to %s; say --results %s --save-verdicts %s\n",
		s.prog, *save, resultsPath, *save)
	*saveVerdicts, *save = *save, ""
	return nil
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
