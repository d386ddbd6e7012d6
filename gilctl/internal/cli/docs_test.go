package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The docs cannot drift from the CLI: every gilctl command line in a code
// block of README.md and docs/*.md, and every example of the help texts,
// is parsed by the command it names (in process, stopping before any work)
// and must be accepted.

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// docCommand is a gilctl command line found in a document.
type docCommand struct {
	where string // file:line
	line  string // as written
	invocation
	// wantErr are the lines a console block shows as the command's
	// output when that output is a usage error ("gilctl bench: ...",
	// "See 'gilctl bench -h'."): the command must then fail so.
	wantErr []string
}

// invocation is gilctl run with args under the name prog.
type invocation struct {
	prog string
	args []string
}

// shellBlock says which fenced code blocks hold shell: no language, or a
// shell's.
var shellBlock = regexp.MustCompile("^(```|~~~)\\s*(sh|shell|bash|console|zsh|)\\s*$")

// extractCommands finds the gilctl command lines in the fenced shell code
// blocks of a Markdown document. In a block with "$ " prompts only the
// prompted lines are commands (the rest is their output).
func extractCommands(file, text string, services map[string]bool) []docCommand {
	var out []docCommand
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		fence := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(fence, "```") && !strings.HasPrefix(fence, "~~~") {
			continue
		}
		shell := shellBlock.MatchString(fence)
		start := i + 1
		for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence[:3]); i++ {
		}
		if !shell {
			continue
		}
		block := lines[start:min(i, len(lines))]
		prompted := false
		for _, l := range block {
			prompted = prompted || strings.HasPrefix(strings.TrimSpace(l), "$ ")
		}
		for k := 0; k < len(block); k++ {
			n := start + k + 1
			l := strings.TrimSpace(block[k])
			for strings.HasSuffix(l, "\\") && k+1 < len(block) { // continued
				k++
				l = strings.TrimSuffix(l, "\\") + " " + strings.TrimSpace(block[k])
			}
			var output []string
			if prompted {
				var ok bool
				if l, ok = strings.CutPrefix(l, "$ "); !ok {
					continue
				}
				for k+1 < len(block) && !strings.HasPrefix(strings.TrimSpace(block[k+1]), "$ ") {
					k++
					output = append(output, strings.TrimSpace(block[k]))
				}
			}
			for _, inv := range gilctlInvocations(l, services) {
				c := docCommand{where: fmt.Sprintf("%s:%d", file, n), line: l, invocation: inv}
				if len(output) > 0 && strings.HasPrefix(output[0], inv.prog+" ") && slices.ContainsFunc(output, func(o string) bool { return strings.HasPrefix(o, "See '") }) {
					c.wantErr = output
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// gilctlProgram matches the ways docs name gilctl: gilctl, bin/gilctl,
// bin/gilctl-3.13t, ./bin/gilctl-NAME, /opt/gilkit/bin/gilctl.
var gilctlProgram = regexp.MustCompile(`^(\S*/)?gilctl(-[0-9][0-9.]*t?|-NAME)?$`)

var (
	assignment   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	digits       = regexp.MustCompile(`^[0-9]+$`)
	serviceLine  = regexp.MustCompile(`^  [A-Za-z0-9_.-]+:\s*$`)
	entrypointAt = regexp.MustCompile(`^    entrypoint:`)
)

// gilctlInvocations splits a shell line into its commands (at |, &&, ||
// and ;) and returns the arguments of those that run gilctl, directly or
// through `docker compose run SERVICE` of a service whose entrypoint is
// gilctl. Synopses ("gilctl bench [flags]") and messages ("gilctl check:
// ...") are not command lines.
func gilctlInvocations(line string, services map[string]bool) []invocation {
	var out []invocation
	for _, words := range splitCommands(shellWords(line)) {
		for len(words) > 0 && assignment.MatchString(words[0]) {
			words = words[1:] // PYTHON_GIL=1 ...
		}
		if len(words) == 0 {
			continue
		}
		var args []string
		prog := "gilctl" // a compose service's entrypoint
		switch {
		case gilctlProgram.MatchString(words[0]):
			prog, args = filepath.Base(words[0]), words[1:]
		case len(words) > 2 && (words[0] == "docker" && words[1] == "compose" || words[0] == "docker-compose"):
			rest := words[2:]
			if words[0] == "docker-compose" {
				rest = words[1:]
			}
			var ok bool
			if args, ok = composeRunArgs(rest, services); !ok {
				continue
			}
		default:
			continue
		}
		if len(args) > 0 && strings.HasSuffix(args[0], ":") {
			continue // a message: "gilctl compare: no gilctl-2.7 beside this binary"
		}
		synopsis := false
		for _, a := range args {
			synopsis = synopsis || strings.HasPrefix(a, "[") || a == "..." || a == "…"
		}
		if !synopsis {
			out = append(out, invocation{prog, args})
		}
	}
	return out
}

// composeValueOptions are the options of docker compose run that take a
// value.
var composeValueOptions = map[string]bool{"-e": true, "--env": true, "--name": true, "-v": true, "--volume": true, "-w": true,
	"--workdir": true, "-u": true, "--user": true, "-p": true, "--publish": true, "-l": true, "--label": true, "--env-from-file": true}

// composeRunArgs takes the words after `docker compose`: for `run [OPTIONS]
// SERVICE ARGS` of a gilctl service it returns ARGS.
func composeRunArgs(words []string, services map[string]bool) ([]string, bool) {
	if len(words) == 0 || words[0] != "run" {
		return nil, false
	}
	for i := 1; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "--entrypoint" || strings.HasPrefix(w, "--entrypoint="):
			return nil, false // something else than gilctl
		case composeValueOptions[w]:
			i++
		case strings.HasPrefix(w, "-"):
		default:
			return words[i+1:], services[w]
		}
	}
	return nil, false
}

// gilctlServices reads compose.yaml's services whose entrypoint is the
// image's own (gilctl) or names gilctl.
func gilctlServices(compose string) map[string]bool {
	services := map[string]bool{}
	inServices, current := false, ""
	for _, line := range strings.Split(compose, "\n") {
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#"):
		case !strings.HasPrefix(line, " "):
			inServices = strings.TrimSpace(line) == "services:"
		case !inServices:
		case serviceLine.MatchString(line):
			current = strings.TrimSuffix(strings.TrimSpace(line), ":")
			services[current] = true
		case current != "" && entrypointAt.MatchString(line):
			services[current] = strings.Contains(line, "gilctl")
		}
	}
	return services
}

// shellWords splits a line as a shell would, roughly: words with their
// quotes removed, and the operators |, ||, &&, ;, & and redirections as
// words of their own prefixed by "\x00". A # starting a word ends the line.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			return words
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				j = len(line) - i - 1
			}
			cur.WriteString(line[i+1 : i+1+j])
			inWord, i = true, i+1+j
		case c == '"':
			inWord = true
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			}
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '|' || c == '&' || c == ';' || c == '>' || c == '<':
			op := string(c)
			if (c == '>' || c == '<') && inWord && digits.MatchString(cur.String()) {
				op = cur.String() + op // 2>
				cur.Reset()
				inWord = false
			}
			flush()
			for i+1 < len(line) && strings.IndexByte("|&>", line[i+1]) >= 0 {
				i++
				op += string(line[i])
			}
			for strings.HasSuffix(op, "&") && strings.Contains(op, ">") && i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
				i++
				op += string(line[i]) // 2>&1
			}
			words = append(words, "\x00"+op)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// splitCommands splits words at |, ||, &&, ; and &, and drops
// redirections with their targets.
func splitCommands(words []string) [][]string {
	var out [][]string
	var cur []string
	for i := 0; i < len(words); i++ {
		op, isOp := strings.CutPrefix(words[i], "\x00")
		switch {
		case !isOp:
			cur = append(cur, words[i])
		case strings.ContainsAny(op, "<>"):
			if !strings.Contains(op, ">&") { // 2>&1 has no target word
				i++
			}
		default:
			out = append(out, cur)
			cur = nil
		}
	}
	return append(out, cur)
}

// placeholderScripts makes --script files that the docs name but the
// repository does not hold (my_work.py): parsing a --script checks that
// the file exists. Paths the repository holds are made absolute.
func placeholderScripts(t *testing.T, args []string) []string {
	t.Helper()
	out := append([]string(nil), args...)
	for i := 0; i < len(out); i++ {
		name, value, hasValue := strings.Cut(out[i], "=")
		if name != "--script" && name != "-script" {
			continue
		}
		if !hasValue {
			if i+1 >= len(out) {
				break
			}
			i++
			value = out[i]
		}
		path := value
		if !filepath.IsAbs(path) {
			if _, err := os.Stat(filepath.Join(repoRoot(), path)); err == nil {
				path = filepath.Join(repoRoot(), path)
			} else {
				path = filepath.Join(t.TempDir(), path)
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte("def work(i, n):\n    pass\n"), 0o644))
			}
		}
		if hasValue {
			out[i] = name + "=" + path
		} else {
			out[i] = path
		}
	}
	return out
}

// parses runs a command line as far as checking it.
func parses(t *testing.T, inv invocation) outcome {
	t.Helper()
	var out, errOut bytes.Buffer
	code := dispatch(placeholderScripts(t, inv.args), streams{in: strings.NewReader(""), out: &out, err: &errOut, prog: inv.prog, dryRun: true})
	return outcome{code, out.String(), errOut.String()}
}

// docCommandProblem says what is wrong with a command line of the docs: it
// must be accepted, or fail as the document shows it failing. "" is fine.
func docCommandProblem(t *testing.T, c docCommand) string {
	o := parses(t, c.invocation)
	shown := fmt.Sprintf("%s: %s %s", c.where, c.prog, strings.Join(c.args, " "))
	switch {
	case c.wantErr == nil && o.code != 0:
		return fmt.Sprintf("%s\nexit %d:\n%s", shown, o.code, o.err)
	case c.wantErr == nil:
		return ""
	case o.code != exitUsage:
		return fmt.Sprintf("%s is shown failing, but it exits %d:\n%s", shown, o.code, o.err)
	}
	for _, line := range c.wantErr {
		if !strings.Contains(o.err, line) {
			return fmt.Sprintf("%s: the error shown is not the error printed: %q is not in\n%s", shown, line, o.err)
		}
	}
	return ""
}

func docFiles(t *testing.T) []string {
	files := []string{filepath.Join(repoRoot(), "README.md")}
	docs, err := filepath.Glob(filepath.Join(repoRoot(), "docs", "*.md"))
	require.NoError(t, err)
	return append(files, docs...)
}

func composeServices(t *testing.T) map[string]bool {
	data, err := os.ReadFile(filepath.Join(repoRoot(), "compose.yaml"))
	require.NoError(t, err)
	return gilctlServices(string(data))
}

func TestDocsCommandLinesParse(t *testing.T) {
	services := composeServices(t)
	total := 0
	for _, file := range docFiles(t) {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		rel, _ := filepath.Rel(repoRoot(), file)
		cmds := extractCommands(rel, string(data), services)
		total += len(cmds)
		for _, c := range cmds {
			t.Run(c.where, func(t *testing.T) { assert.Empty(t, docCommandProblem(t, c)) })
		}
	}
	assert.GreaterOrEqual(t, total, 10, "the docs show gilctl command lines; finding few means the extraction broke")
	t.Logf("%d gilctl command lines in %d files", total, len(docFiles(t)))
}

// TestHelpExamplesParse: the examples of every help text are command lines
// their command accepts.
func TestHelpExamplesParse(t *testing.T) {
	for _, c := range commands() {
		help := gilctl(t, c.name, "-h").stdout
		_, examples, ok := strings.Cut(help, "\nExamples:\n")
		require.True(t, ok, c.name)
		for _, line := range strings.Split(strings.TrimSpace(examples), "\n") {
			for _, inv := range gilctlInvocations(strings.TrimSpace(line), nil) {
				o := parses(t, inv)
				assert.Equal(t, 0, o.code, "gilctl %s -h: %s\n%s", c.name, line, o.err)
			}
		}
	}
}

// TestDocsCheckCatchesDrift: the check finds each way docs write a gilctl
// command, and fails a flag that does not exist.
func TestDocsCheckCatchesDrift(t *testing.T) {
	services := gilctlServices("x-gilctl: &gilctl\n  init: true\n\nservices:\n  py313t:\n    <<: *gilctl\n    image: gilkit:3.13t\n" +
		"  test:\n    image: gilkit:dev\n    entrypoint: [\"gilkit-test\"]\n  tool:\n    entrypoint: [\"gilctl\"]\n")
	assert.Equal(t, map[string]bool{"py313t": true, "test": false, "tool": true}, services)

	doc := strings.Join([]string{
		"Some prose with `gilctl bench --not-checked` inline.",
		"```sh",
		"make bench    # provisions, builds bin/gilctl-NAME",
		"PYTHON_GIL=1 bin/gilctl-3.13t bench --quick --save out/3.13t+gil.json",
		"bin/gilctl-3.12 run -c 'import sys; print(sys.version)' # python's own",
		"gilctl info --json | jq .gil_enabled",
		"gilctl bench --quick --save b.json && gilctl report --results b.json --out /tmp/r",
		"bin/gilctl-3.13t bench --workload countdown --gobench > new.txt 2>&1   # benchstat reads it",
		"bin/gilctl compare --quick \\",
		"    --mode threads",
		"docker compose run --rm -e PYTHON_GIL=1 py313t info --json",
		"docker compose run --rm test",
		"./bin/gilctl-3.12 bench [flags]",
		"```",
		"```console",
		"$ bin/gilctl-3.12 check --results out/compare.json",
		"gilctl check: judging out/compare.json",
		"$ bin/gilctl-3.12 bench --wrokers 2",
		"gilctl-3.12 bench: flag provided but not defined: --wrokers",
		"See 'gilctl-3.12 bench -h'.",
		"```",
		"```go",
		`fmt.Println("gilctl bench --in-go")`,
		"```",
		"```text",
		"gilctl bench --in-output",
		"```",
	}, "\n")
	var got [][]string
	for _, c := range extractCommands("doc.md", doc, services) {
		got = append(got, append([]string{c.prog}, c.args...))
		assert.Empty(t, docCommandProblem(t, c))
	}
	assert.Equal(t, [][]string{
		{"gilctl-3.13t", "bench", "--quick", "--save", "out/3.13t+gil.json"},
		{"gilctl-3.12", "run", "-c", "import sys; print(sys.version)"},
		{"gilctl", "info", "--json"},
		{"gilctl", "bench", "--quick", "--save", "b.json"},
		{"gilctl", "report", "--results", "b.json", "--out", "/tmp/r"},
		{"gilctl-3.13t", "bench", "--workload", "countdown", "--gobench"},
		{"gilctl", "compare", "--quick", "--mode", "threads"},
		{"gilctl", "info", "--json"},
		{"gilctl-3.12", "check", "--results", "out/compare.json"},
		{"gilctl-3.12", "bench", "--wrokers", "2"},
	}, got)

	for _, tc := range []struct{ doc, want string }{
		{"```sh\nbin/gilctl-3.12 bench --quick --made-up-flag\n```\n", "gilctl-3.12 bench: flag provided but not defined: --made-up-flag"},
		{"```sh\ngilctl check --from-file out/compare.json\n```\n", "gilctl check: flag provided but not defined: --from-file"},
		{"```sh\ndocker compose run --rm py313t bench --workers 0\n```\n", `invalid value "0" for flag --workers`},
		{"```sh\ngilctl benchmark --quick\n```\n", `unknown command "benchmark"`},
		{"```sh\ngilctl report --out out\n```\n", "--results is required"},
		{"```console\n$ gilctl bench --quick\ngilctl bench: flag provided but not defined: --quick\nSee 'gilctl bench -h'.\n```\n", "shown failing"},
		{"```console\n$ gilctl bench --wrokers 2\ngilctl bench: no such flag\nSee 'gilctl bench -h'.\n```\n", "the error shown is not the error printed"},
	} {
		cmds := extractCommands("doc.md", tc.doc, services)
		require.Len(t, cmds, 1, tc.doc)
		assert.Contains(t, docCommandProblem(t, cmds[0]), tc.want, tc.doc)
	}
}
