package cli

import (
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// versionReport is `gilctl version --json`: which gilkit, and the
// interpreter and Go it was built with.
type versionReport struct {
	Gilkit      version.Info       `json:"gilkit"`
	Interpreter versionInterpreter `json:"interpreter"`
	Go          string             `json:"go"`
	Platform    string             `json:"platform"`
}

// versionInterpreter is the linked CPython; Error says why it could not
// be started (the other fields are then what the build knows).
type versionInterpreter struct {
	Name         string `json:"name"`
	Version      string `json:"version,omitempty"`
	FreeThreaded bool   `json:"free_threaded"`
	LibPython    string `json:"libpython,omitempty"`
	Error        string `json:"error,omitempty"`
}

func runVersion(args []string, s streams) int {
	fs := newFlagSet(s, "version", "version [--format table|json]", []string{
		"gilctl version",
		"gilctl --version",
		"gilctl version --json | jq -r .gilkit.revision",
	})
	format := addFormatFlags(fs.FlagSet, documentFormats)
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	name, err := format.chosen(fs.FlagSet)
	if err != nil {
		return fail(s, "version", exitUsage, err)
	}
	if s.dryRun {
		return exitOK
	}
	rep := versionReport{
		Gilkit:      version.Current(),
		Interpreter: versionInterpreter{Name: embed.BuildName(), FreeThreaded: embed.FreeThreaded()},
		Go:          runtime.Version(),
		Platform:    runtime.GOOS + "/" + runtime.GOARCH,
	}
	// The interpreter the binary loads, which may be a later patch release
	// than the headers it was compiled against.
	in, err := embed.Start(embed.Config{})
	if err == nil {
		var info embed.Info
		if info, err = in.Info(); err == nil {
			rep.Interpreter.Name, rep.Interpreter.Version, rep.Interpreter.LibPython = info.Name, info.Version, info.LibPython
		}
		in.Close()
	}
	if err != nil {
		rep.Interpreter.Error = err.Error()
	}
	if name == "json" {
		if werr := writeJSON(s.out, rep); werr != nil {
			return fail(s, "version", exitFailure, werr)
		}
	} else {
		writeVersion(s.out, s.prog, rep)
	}
	if err != nil {
		return fail(s, "version", exitFailure, fmt.Errorf("starting the interpreter: %w", err))
	}
	return exitOK
}

// writeVersion writes, for instance:
//
//	gilctl-3.13t v0.0.0-20261125202258-5cd8c5e37b60+dirty
//	  revision  5cd8c5e37b605fb4f9ddd428e692849f3a73a013 (2026-11-25T20:22:58Z, modified)
//	  CPython   3.13.15, free-threaded build (/opt/python/3.13t/lib/libpython3.13t.so.1.0)
//	  Go        go1.26.8 linux/amd64
func writeVersion(w io.Writer, prog string, r versionReport) {
	g := r.Gilkit
	fmt.Fprintf(w, "%s %s\n", prog, g.Version)
	rev := g.Revision
	var notes []string
	if g.Time != "" {
		notes = append(notes, g.Time)
	}
	if g.Modified != nil && *g.Modified {
		notes = append(notes, "modified")
	}
	if len(notes) > 0 {
		rev += " (" + strings.Join(notes, ", ") + ")"
	}
	fmt.Fprintf(w, "  revision  %s\n", rev)
	i := r.Interpreter
	build := "GIL build"
	if i.FreeThreaded {
		build = "free-threaded build"
	}
	switch {
	case i.Error != "":
		fmt.Fprintf(w, "  CPython   %s, %s (cannot start it: %s)\n", i.Name, build, i.Error)
	default:
		fmt.Fprintf(w, "  CPython   %s, %s (%s)\n", i.Version, build, i.LibPython)
	}
	fmt.Fprintf(w, "  Go        %s %s\n", r.Go, r.Platform)
}
