// Package cli implements gilctl's subcommands. Each command is a function
// from arguments and streams to an exit status, so tests run them in
// process and check what a user would see; nothing underneath reads
// os.Stdin or writes os.Stdout.
//
// The conventions are those of go and docker: help, when asked for (-h,
// --help, help CMD), goes to stdout; errors go to stderr as one line, and a
// usage error adds a pointer to the command's help; exit status 2 is a wrong
// command line, 1 a failure of the work itself.
package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gilkit/gilkit/embed"
)

// streams are a command's standard input, output and error, and how it was
// invoked.
type streams struct {
	in       io.Reader
	out, err io.Writer
	// prog is the program's name as the user typed it (the base of
	// argv[0]: gilctl, gilctl-3.13t); messages and examples use it.
	prog string
	// dryRun ends every command once its command line has been checked,
	// before it starts Python or opens a file: the command lines of the
	// docs and of the help texts are checked that way.
	dryRun bool
}

// command is one gilctl subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, s streams) int
	// hidden commands are not listed by help: worker is started by
	// compare and check, not by people.
	hidden bool
}

func commands() []command {
	return []command{
		{name: "info", summary: "describe the linked interpreter (version, build, GIL state)", run: runInfo},
		{name: "run", summary: "run a Python file in the embedded interpreter", run: runRun},
		{name: "bench", summary: "run the article's experiments on this interpreter", run: runBench},
		{name: "compare", summary: "run them on several interpreters side by side, interleaved", run: runCompare},
		{name: "check", summary: "judge the article's claims on every interpreter, with evidence", run: runCheck},
		{name: "probe", summary: "GIL probes: latency to run Python and I/O round trips beside CPU-bound threads", run: runProbe},
		{name: "report", summary: "write the HTML report with charts (SVG and PNG) from saved results", run: runReport},
		{name: "version", summary: "print gilkit's version and revision, and the interpreter it links", run: runVersion},
		{name: "worker", summary: "serve single runs to compare and check over stdin/stdout", run: runWorker, hidden: true},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// Exit statuses shared by the commands.
const (
	exitOK      = 0
	exitFailure = 1 // the Python code raised, or the command failed
	exitUsage   = 2 // a wrong command line: flags, arguments, the files they name
)

// Main runs gilctl with argv (argv[0] is the program's name, as in
// os.Args) and returns the process exit status.
func Main(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := streams{in: stdin, out: stdout, err: stderr, prog: "gilctl"}
	if len(argv) > 0 && argv[0] != "" {
		s.prog = filepath.Base(argv[0])
		argv = argv[1:]
	}
	return dispatch(argv, s)
}

func dispatch(args []string, s streams) int {
	if len(args) == 0 {
		usage(s.err, s.prog)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(s.out, s.prog)
		return exitOK
	case "--version", "-version":
		return runVersion(args[1:], s)
	case "help":
		return runHelp(args[1:], s)
	}
	if c, ok := lookup(args[0]); ok {
		return c.run(args[1:], s)
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(s.err, "%s: flag provided but not defined: %s (flags come after the command)\nSee '%s help'.\n", s.prog, args[0], s.prog)
		return exitUsage
	}
	fmt.Fprintf(s.err, "%s: unknown command %q\nSee '%s help'.\n", s.prog, args[0], s.prog)
	return exitUsage
}

// runHelp is `gilctl help [COMMAND]`: the list of commands, or a command's
// help, on stdout.
func runHelp(args []string, s streams) int {
	switch {
	case len(args) == 0 || (len(args) == 1 && args[0] == "help"):
		usage(s.out, s.prog)
		return exitOK
	case len(args) > 1:
		fmt.Fprintf(s.err, "%s help: name one command, not %d\nSee '%s help'.\n", s.prog, len(args), s.prog)
		return exitUsage
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(s.err, "%s help: unknown command %q\nSee '%s help'.\n", s.prog, args[0], s.prog)
		return exitUsage
	}
	return c.run([]string{"-h"}, s)
}

func usage(w io.Writer, prog string) {
	fmt.Fprintf(w, "%s (CPython %s, linked at build time) runs Python inside Go and measures the GIL.\n\n", prog, embed.BuildName())
	fmt.Fprintf(w, "Usage: %s COMMAND [flags] [args]\n", prog)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		if !c.hidden {
			fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Run '%s help COMMAND' (or '%s COMMAND -h') for a command's flags and examples.\n", prog, prog)
}

// fail prints "gilctl CMD: err" and returns status; a usage error also
// says where the command's help is.
func fail(s streams, cmd string, status int, err error) int {
	fmt.Fprintf(s.err, "%s %s: %v\n", s.prog, cmd, err)
	if status == exitUsage {
		fmt.Fprintf(s.err, "See '%s %s -h'.\n", s.prog, cmd)
	}
	return status
}
