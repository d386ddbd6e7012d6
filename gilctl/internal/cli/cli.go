// Package cli implements gilctl's subcommands. Each command is a function
// from arguments and output streams to an exit status, so tests run them in
// process and check what a user would see.
package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gilkit/gilkit/embed"
)

// command is one gilctl subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"info", "describe the linked interpreter (version, build, GIL state)", runInfo},
		{"run", "run a Python file in the embedded interpreter", runRun},
		{"bench", "run the article's experiments on this interpreter", runBench},
		{"compare", "run them on several interpreters side by side, interleaved", runCompare},
		{"check", "judge the article's claims on every interpreter, with evidence", runCheck},
		{"report", "write the HTML report with charts (SVG and PNG) from saved results", runReport},
		{"worker", "serve single runs to compare and check (internal)", runWorker},
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
func Main(args []string, stdout, stderr io.Writer) int {
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
			return c.run(args[1:], stdout, stderr)
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
// ended the command (-h, or a wrong flag), or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	return -1
}
