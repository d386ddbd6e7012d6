package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gilkit/gilkit/embed"
)

// Exit statuses of `gilctl run` beyond the shared ones, as timeout(1) and
// shells use them.
const (
	exitTimeout     = 124
	exitInterrupted = 130
)

// stopGrace is how long a run may take to unwind after it was interrupted
// before gilctl gives up on it (Python blocked inside C never sees the
// interrupt).
const stopGrace = 2 * time.Second

func runRun(args []string, s streams) int {
	stderr := s.err // Python itself writes to the process's stdout and stderr (file descriptors 1 and 2)
	fs := newFlagSet("run", "run [--timeout D] FILE.py [ARGS...]", []string{
		"gilctl run pyexamples/refcount.py",
		"gilctl run --timeout 30s pyexamples/countdown_threads.py",
		"bin/gilctl-3.13t run script.py arg1 arg2   # sys.argv = ['script.py', 'arg1', 'arg2']",
	}, stderr)
	timeout := fs.Duration("timeout", 0, "stop the run after this long (e.g. 30s); 0 means no limit")
	if rc := parseFlags(fs, args, true); rc >= 0 {
		return rc
	}
	if fs.NArg() < 1 {
		fmt.Fprintln(stderr, "gilctl run: missing FILE.py")
		fs.Usage()
		return exitUsage
	}
	file := fs.Arg(0)
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintf(stderr, "gilctl run: %v\n", err)
		return exitFailure
	}
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		fmt.Fprintf(stderr, "gilctl run: %v\n", err)
		return exitFailure
	}
	in, err := embed.Start(embed.Config{Argv: fs.Args(), Path: []string{dir}})
	if err != nil {
		fmt.Fprintf(stderr, "gilctl run: %v\n", err)
		return exitFailure
	}

	threadID := make(chan uint64, 1)
	done := make(chan error, 1)
	go func() {
		done <- in.Do(func(py *embed.Py) error {
			threadID <- py.ThreadID()
			err := py.ExecFile(file, embed.AsMain())
			flushStreams(py)
			return err
		})
	}()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	var deadline <-chan time.Time
	if *timeout > 0 {
		timer := time.NewTimer(*timeout)
		defer timer.Stop()
		deadline = timer.C
	}

	var stopReason string
	var stopStatus int
	select {
	case err := <-done:
		return finishRun(in, file, err, stderr)
	case <-deadline:
		stopReason, stopStatus = fmt.Sprintf("timed out after %v", *timeout), exitTimeout
	case sig := <-signals:
		stopReason, stopStatus = "stopped by "+sig.String(), exitInterrupted
	}
	if _, err := in.Interrupt(<-threadID); err != nil {
		fmt.Fprintf(stderr, "gilctl run: interrupting %s: %v\n", file, err)
	}
	select {
	case err := <-done:
		var pyErr *embed.PyError
		if errors.As(err, &pyErr) && pyErr.Type == "KeyboardInterrupt" {
			fmt.Fprint(stderr, pyErr.Traceback)
		}
		fmt.Fprintf(stderr, "gilctl run: %s %s\n", file, stopReason)
		in.Close()
	case <-time.After(stopGrace):
		// Python is blocked in C and cannot be stopped from here; finalizing
		// would wait for it, so leave without finalizing.
		fmt.Fprintf(stderr, "gilctl run: %s %s (it did not stop within %v of being interrupted)\n", file, stopReason, stopGrace)
	}
	return stopStatus
}

// finishRun reports a finished run the way `python FILE` would and
// finalizes the interpreter.
func finishRun(in *embed.Interpreter, file string, err error, stderr io.Writer) int {
	status := exitOK
	var pyErr *embed.PyError
	switch {
	case err == nil:
	case errors.As(err, &pyErr) && pyErr.IsSystemExit():
		status = pyErr.ExitCode
		if status == 1 && pyErr.Message != "" && pyErr.Message != "1" {
			fmt.Fprintln(stderr, pyErr.Message) // sys.exit("message") prints the message
		}
	case errors.As(err, &pyErr):
		fmt.Fprint(stderr, pyErr.Traceback)
		status = exitFailure
	default:
		fmt.Fprintf(stderr, "gilctl run: %v\n", err)
		status = exitFailure
	}
	if err := in.Close(); err != nil {
		fmt.Fprintf(stderr, "gilctl run: finalizing: %v\n", err)
		if status == exitOK {
			status = exitFailure
		}
	}
	return status
}

// flushStreams flushes sys.stdout and sys.stderr so that Python's output
// precedes anything gilctl prints after it.
func flushStreams(py *embed.Py) {
	_ = py.Exec("import sys\nfor s in (sys.stdout, sys.stderr):\n    try:\n        s.flush()\n    except Exception:\n        pass\n")
}
