// Package cli implements gilctl's subcommands. Each command is a function
// from arguments and streams to an exit status, so tests run them in
// process and check what a user would see; nothing underneath reads
// os.Stdin or writes os.Stdout.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gilkit/gilkit/embed"
)

// streams are a command's standard input, output and error.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// command is one gilctl subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, s streams) int
}

func commands() []command {
	return []command{
		{"info", "describe the linked interpreter (version, build, GIL state)", runInfo},
		{"run", "run a Python file in the embedded interpreter", runRun},
		{"bench", "run the article's experiments on this interpreter", runBench},
		{"compare", "run them on several interpreters side by side, interleaved", runCompare},
		{"check", "judge the article's claims on every interpreter, with evidence", runCheck},
		{"probe", "GIL probes: latency to run Python and I/O round trips beside CPU-bound threads", runProbe},
		{"report", "write the HTML report with charts (SVG and PNG) from saved results", runReport},
		{"worker", "serve single runs to compare and check over stdin/stdout (internal)", runWorker},
	}
}

// Exit statuses shared by the commands.
const (
	exitOK      = 0
	exitFailure = 1 // the Python code raised, or the command failed
	exitUsage   = 2 // wrong flags or arguments
)

// Main runs gilctl with args (without the program name) and returns the
// process exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := streams{in: stdin, out: stdout, err: stderr}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], s)
		}
	}
	fmt.Fprintf(stderr, "gilctl: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "gilctl (CPython %s, linked at build time) runs Python inside Go and measures the GIL.\n\n", embed.BuildName())
	fmt.Fprintln(w, "Usage: gilctl COMMAND [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'gilctl COMMAND -h' for a command's flags and examples.")
}

// newFlagSet returns a FlagSet whose usage text holds the command's synopsis
// and examples.
func newFlagSet(name, synopsis string, examples []string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: gilctl %s\n\n", synopsis)
		fmt.Fprintln(stderr, "Flags:")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\nExamples:")
		fmt.Fprintln(stderr, "  "+strings.Join(examples, "\n  "))
	}
	return fs
}

// parseFlags parses args; it returns the exit status to use when parsing
// ended the command (-h, or a wrong flag), or -1 to go on. Commands that
// take no arguments say so when they get one.
func parseFlags(fs *flag.FlagSet, args []string, allowArgs bool) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if !allowArgs && fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "gilctl %s: unexpected argument %q (flags come before arguments; see gilctl %s -h)\n", fs.Name(), fs.Arg(0), fs.Name())
		return exitUsage
	}
	return -1
}

// fail prints "gilctl CMD: err" and returns status.
func fail(s streams, cmd string, status int, err error) int {
	fmt.Fprintf(s.err, "gilctl %s: %v\n", cmd, err)
	return status
}
