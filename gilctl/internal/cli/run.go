package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gilkit/gilkit/embed"
)

// exitTimeout is the status of a run stopped by --timeout, as timeout(1)
// and shells use it.
const exitTimeout = 124

// runGrace is how long a run may take to wind down after --timeout
// interrupted it. With the bounded flush after it, a run ends within
// --timeout + 2 s, inside the promised --timeout + 3 s.
const runGrace = 1500 * time.Millisecond

const runSynopsis = "run [--timeout D] [PYTHON OPTIONS] FILE|DIR|ZIP|-c CODE|-m MODULE|- [ARGS...]"

var runExamples = []string{
	"gilctl run pyexamples/refcount.py",
	"gilctl run --timeout 30s pyexamples/countdown_threads.py 1000000",
	"gilctl run -c 'import sys; print(sys.version)'",
	"gilctl run -m json.tool data.json",
	"gilctl run app/                 # a directory (or .zip) holding __main__.py",
	"gilctl run -X dev -W error script.py arg1   # python's own options before the script",
	"PYTHONPATH=lib bin/gilctl-3.13t run script.py",
}

// runRun runs a python command line as the python binary of the linked
// libpython would (embed.Command): same output and exit status. Its own
// flags come first; everything from the first other argument on is
// python's command line.
//
// Python itself writes to the process's standard streams (file
// descriptors 0, 1 and 2), as python does; s.err carries gilctl's own
// messages.
func runRun(args []string, s streams) int {
	stderr := s.err
	timeout, pyArgs, rc := parseRunArgs(args, s)
	if rc >= 0 {
		return rc
	}
	if s.dryRun {
		return exitOK
	}
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, timeout, fmt.Errorf("timed out after %v", timeout))
		defer cancel()
	}
	status, err := embed.Command{Args: pyArgs, Grace: runGrace}.Run(ctx)
	switch {
	case err == nil:
		return status
	case errors.Is(err, embed.ErrStopped):
		fmt.Fprintf(stderr, "%s run: %s timed out after %v\n", s.prog, strings.Join(pyArgs, " "), timeout)
		if errors.Is(err, embed.ErrAbandoned) {
			// Say why its finally blocks and atexit handlers did not run.
			fmt.Fprintf(stderr, "%s run: it did not end within %v of being interrupted: stopped without waiting for it (what it printed until then is kept)\n", s.prog, runGrace)
		}
		return exitTimeout
	default:
		return fail(s, "run", exitFailure, err)
	}
}

// parseRunArgs takes gilctl's own flags off the front of args. It returns
// the exit status to end with (-h, a wrong flag, nothing to run), or -1.
func parseRunArgs(args []string, s streams) (time.Duration, []string, int) {
	var timeout time.Duration
	for len(args) > 0 {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if !strings.HasPrefix(args[0], "-") || args[0] == "-" {
			break
		}
		switch name {
		case "h", "help":
			runUsage(s.out, s.prog)
			return 0, nil, exitOK
		case "timeout":
			if !hasValue {
				if len(args) < 2 {
					return 0, nil, fail(s, "run", exitUsage, errors.New("flag needs an argument: --timeout"))
				}
				value, args = args[1], args[1:]
			}
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 {
				return 0, nil, fail(s, "run", exitUsage, fmt.Errorf("invalid value %q for flag --timeout: want a duration such as 30s or 2m", value))
			}
			timeout = d
			args = args[1:]
			continue
		}
		break // python's own option: the rest is python's command line
	}
	if len(args) == 0 {
		return 0, nil, fail(s, "run", exitUsage, errors.New("missing FILE.py (or DIR, ZIP, -c CODE, -m MODULE)"))
	}
	return timeout, args, -1
}

func runUsage(w io.Writer, prog string) {
	fmt.Fprintf(w, "Usage: %s %s\n\n", prog, runSynopsis)
	fmt.Fprintln(w, "Runs a Python program in the embedded interpreter exactly as the matching python")
	fmt.Fprintln(w, "binary would (same stdout, stderr and exit status; testdata/hostile/DIFFERENCES.md")
	fmt.Fprintln(w, "lists the differences), reading the PYTHON* environment variables as python does.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags (before the program):")
	fmt.Fprintln(w, "  --timeout D   stop the run after D (e.g. 30s): interrupt it as Ctrl-C would, let it")
	fmt.Fprintln(w, "                wind down for up to 1.5s, then flush its output and exit with status 124")
	fmt.Fprintln(w, "  -h, --help    this help")
	writeExamples(w, prog, runExamples)
}
