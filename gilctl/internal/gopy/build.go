// Package gopy is gilkit's side of the gopy path: Go code (pyexamples/gopyext)
// built by github.com/go-python/gopy into a CPython extension module and
// called from Python threads in a plain python process.
//
// The extension carries its own Go runtime, so it is never imported into
// gilkit's embedded interpreter (two Go runtimes must not meet in one
// process): this package only builds it, through scripts/gopy.sh, and starts
// plain python processes that use it.
package gopy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Build is one built extension: the directory that holds the Python package
// gopyext (put it on sys.path, then `from gopyext import gopyext`) and the
// interpreter it was built for.
type Build struct {
	Name   string // interpreter name as gilkit spells it: 3.12, 3.13t, 3.13t+gil
	Prefix string // the interpreter's prefix
	Python string // its python binary, PREFIX/bin/pythonX.Y[t]
	Dir    string // the build directory scripts/gopy.sh printed
}

// UnavailableError says that gopy could not build the extension for an
// interpreter. Reason is gopy's own error output. It is a result to report
// (a skipped cell), not a failure of gilkit.
type UnavailableError struct {
	Name   string
	Reason string
}

// Error reads "gopy extension for NAME: not available: <gopy's error>".
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("gopy extension for %s: not available: %s", e.Name, e.Reason)
}

// Source locates gilkit's files that the gopy path needs, from the
// repository root: scripts/gopy.sh and pyexamples/gopy_threads.py.
type Source struct {
	Root string
	// Env is added to the environment of the commands started (e.g.
	// GILKIT_CACHE=DIR for another cache).
	Env []string
}

// Script is the build script's path.
func (s Source) Script() string { return filepath.Join(s.Root, "scripts", "gopy.sh") }

// Example is pyexamples/gopy_threads.py's path.
func (s Source) Example() string { return filepath.Join(s.Root, "pyexamples", "gopy_threads.py") }

// Exit statuses of scripts/gopy.sh and pyexamples/gopy_threads.py.
const (
	scriptUnavailable  = 3 // gopy.sh: gopy failed for this interpreter
	exampleUnavailable = 2 // gopy_threads.py: no usable build
)

// Ensure builds the extension for the interpreter NAME in prefix, or finds
// it in gilkit's cache (a second call takes well under a second). When gopy
// cannot build it, the error is an *UnavailableError holding gopy's error;
// other errors mean the build could not even be tried (a missing tool, an
// unreachable package source).
func (s Source) Ensure(ctx context.Context, name, prefix string) (Build, error) {
	abi := strings.TrimSuffix(name, "+gil")
	b := Build{Name: name, Prefix: prefix, Python: filepath.Join(prefix, "bin", "python"+abi)}
	cmd := exec.CommandContext(ctx, s.Script(), name, prefix)
	cmd.Env = append(os.Environ(), s.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	b.Dir = strings.TrimSpace(stdout.String())
	var exit *exec.ExitError
	switch {
	case err == nil:
		return b, nil
	case errors.As(err, &exit) && exit.ExitCode() == scriptUnavailable && b.Dir != "":
		reason, rerr := os.ReadFile(filepath.Join(b.Dir, "error"))
		if rerr != nil {
			return b, fmt.Errorf("gopy.sh said gopy failed for %s, but its error is unreadable: %w", name, rerr)
		}
		return b, &UnavailableError{Name: name, Reason: strings.TrimSpace(string(reason))}
	default:
		return b, fmt.Errorf("building the gopy extension for %s: %w\n%s", name, err, strings.TrimSpace(stderr.String()))
	}
}
