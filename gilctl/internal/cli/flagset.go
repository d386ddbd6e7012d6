package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// flagSet is a command's flags with its help text: a synopsis, the flags
// (spelt with two dashes, hidden ones left out) and examples.
type flagSet struct {
	*flag.FlagSet
	s        streams
	synopsis string   // after the program's name: "bench [flags]"
	examples []string // command lines; a leading "gilctl" becomes the program's name
	hidden   map[string]bool
}

// newFlagSet returns a command's flag set. Parsing prints nothing: parse
// reports errors in gilctl's words and help on stdout.
func newFlagSet(s streams, name, synopsis string, examples []string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, s: s, synopsis: synopsis, examples: examples, hidden: map[string]bool{}}
}

// hide leaves flags out of the help: deprecated spellings kept so that
// old command lines still work.
func (f *flagSet) hide(names ...string) {
	for _, n := range names {
		if f.Lookup(n) == nil {
			panic("hiding undefined flag " + n) // a programming error
		}
		f.hidden[n] = true
	}
}

// parseFlags parses args; it returns the exit status to use when parsing
// ended the command (-h, or a wrong flag), or -1 to go on. Commands that
// take no arguments say so when they get one.
func parseFlags(fs *flagSet, args []string, allowArgs bool) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help(fs.s.out)
			return exitOK
		}
		return fail(fs.s, fs.Name(), exitUsage, errors.New(twoDashes(err.Error())))
	}
	if !allowArgs && fs.NArg() > 0 {
		return fail(fs.s, fs.Name(), exitUsage, fmt.Errorf("unexpected argument %q (flags come before arguments)", fs.Arg(0)))
	}
	return -1
}

// flagInMessage finds the flag package's "-name" in its error messages
// ("flag provided but not defined: -bogus", "invalid value ... for flag
// -runs: ...").
var flagInMessage = regexp.MustCompile(`(: | for (flag )?)-([^-\s])`)

// twoDashes spells the flag an error names as users type it: --name.
func twoDashes(msg string) string {
	loc := flagInMessage.FindStringSubmatchIndex(msg)
	if loc == nil {
		return msg
	}
	name := loc[6] // the name's first character, after its one dash
	return msg[:name] + "-" + msg[name:]
}

// help writes the command's help text.
func (f *flagSet) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s %s\n\n", f.s.prog, f.synopsis)
	fmt.Fprintln(w, "Flags:")
	f.VisitAll(func(fl *flag.Flag) {
		if !f.hidden[fl.Name] {
			writeFlag(w, fl)
		}
	})
	writeExamples(w, f.s.prog, f.examples)
}

// writeFlag writes one flag as flag.PrintDefaults does, with two dashes.
func writeFlag(w io.Writer, fl *flag.Flag) {
	kind, usage := flag.UnquoteUsage(fl)
	line := "  --" + fl.Name
	if kind != "" {
		line += " " + kind
	}
	fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
	switch fl.DefValue {
	case "", "0", "false", "0s":
	default:
		if g, ok := fl.Value.(flag.Getter); ok {
			if _, isString := g.Get().(string); isString {
				fmt.Fprintf(w, " (default %q)", fl.DefValue)
				break
			}
		}
		fmt.Fprintf(w, " (default %s)", fl.DefValue)
	}
	fmt.Fprintln(w)
}

// writeExamples writes command lines with the program's name for gilctl.
func writeExamples(w io.Writer, prog string, examples []string) {
	fmt.Fprintln(w, "\nExamples:")
	for _, e := range examples {
		fmt.Fprintln(w, "  "+asTyped(prog, e))
	}
}

// gilctlWord is "gilctl" as a command's name: at the start of a line or
// after a pipe or &&, not inside bin/gilctl-3.13t.
var gilctlWord = regexp.MustCompile(`(^|[|&;] *)gilctl `)

// asTyped writes an example with the name the user typed.
func asTyped(prog, example string) string {
	return gilctlWord.ReplaceAllStringFunc(example, func(m string) string {
		return strings.TrimSuffix(m, "gilctl ") + prog + " "
	})
}
