package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// processRun is how one run of a program ended.
type processRun struct {
	stdout, stderr string
	status         string // "exit N" or "killed by SIGNAME"
	elapsed        time.Duration
	overdue        bool // killed by the harness at its deadline
	err            error
}

// runSpec is one process to run.
type runSpec struct {
	argv      []string
	env       []string
	dir       string
	stdin     *string
	closedFDs []string
	ulimitS   string
	deadline  time.Duration
}

// signalMarker is a line asking the harness for a signal, at once or after a
// delay ("@@signal SIGINT in 500ms": the program has had time to block).
var signalMarker = regexp.MustCompile(`(?m)^@@signal (SIG[A-Z0-9]+)(?: in ([0-9]+ms))?$`)

// runProcess runs spec, sending the signals its output asks for, and kills
// it (and whatever it started) at the deadline.
func runProcess(spec runSpec) processRun {
	argv := spec.argv
	if spec.ulimitS != "" || len(spec.closedFDs) > 0 {
		// A shell sets the limit or closes descriptors, then becomes the
		// program (exec keeps the pid, so signals reach the program itself).
		script := `exec "$@"`
		for _, fd := range spec.closedFDs {
			script += " " + fd + ">&-"
		}
		if spec.ulimitS != "" {
			script = "ulimit -s " + spec.ulimitS + " && " + script
		}
		argv = append([]string{"/bin/sh", "-c", script, "sh"}, argv...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), spec.deadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = spec.env, spec.dir
	if spec.stdin != nil {
		cmd.Stdin = strings.NewReader(*spec.stdin)
	}
	// Its own process group, so that the deadline also ends what it forked
	// (a child holding the output pipes open would keep Wait waiting).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	overdue := false
	cmd.Cancel = func() error {
		overdue = true
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	// Children left behind may hold the pipes; stop reading shortly after
	// the program itself has ended.
	cmd.WaitDelay = 10 * time.Second
	var sendMu sync.Mutex
	send := func(name string, delay time.Duration) {
		go func() {
			time.Sleep(delay)
			sendMu.Lock()
			defer sendMu.Unlock()
			if sig, ok := signalByName[name]; ok && cmd.Process != nil {
				_ = cmd.Process.Signal(sig)
			}
		}()
	}
	out := &markerWatcher{send: send}
	errOut := &markerWatcher{send: send}
	cmd.Stdout, cmd.Stderr = out, errOut
	start := time.Now()
	err := cmd.Run()
	r := processRun{stdout: out.String(), stderr: errOut.String(), elapsed: time.Since(start), overdue: overdue}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		r.status = "exit 0"
	case errors.As(err, &exitErr):
		ws := exitErr.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			r.status = "killed by " + signalName(ws.Signal())
		} else {
			r.status = fmt.Sprintf("exit %d", ws.ExitStatus())
		}
	case errors.Is(err, exec.ErrWaitDelay):
		r.status = "exit 0"
		if cmd.ProcessState != nil {
			r.status = fmt.Sprintf("exit %d", cmd.ProcessState.ExitCode())
		}
	default:
		r.err = err
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // leftovers of a finished run
	return r
}

// markerWatcher collects a stream and calls send for every complete
// "@@signal NAME" line, in order.
type markerWatcher struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	scanned int
	send    func(name string, delay time.Duration)
}

func (w *markerWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if end := bytes.LastIndexByte(w.buf.Bytes(), '\n'); end >= w.scanned {
		for _, m := range signalMarker.FindAllSubmatch(w.buf.Bytes()[w.scanned:end+1], -1) {
			delay, _ := time.ParseDuration(string(m[2])) // "" gives 0
			w.send(string(m[1]), delay)
		}
		w.scanned = end + 1
	}
	return len(p), nil
}

func (w *markerWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

var (
	hexAddress = regexp.MustCompile(`0x[0-9a-fA-F]{4,}`)
	pidNumber  = regexp.MustCompile(`pid=\d+`)
)

// normalize hides what differs between any two runs of the same program,
// python's or not: object addresses and process ids.
func normalize(s string) string {
	s = hexAddress.ReplaceAllString(s, "0xADDR")
	return pidNumber.ReplaceAllString(s, "pid=N")
}

// signalByName holds the signals a case may ask for.
var signalByName = map[string]syscall.Signal{
	"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
	"SIGABRT": syscall.SIGABRT, "SIGKILL": syscall.SIGKILL, "SIGUSR1": syscall.SIGUSR1,
	"SIGSEGV": syscall.SIGSEGV, "SIGUSR2": syscall.SIGUSR2, "SIGPIPE": syscall.SIGPIPE,
	"SIGALRM": syscall.SIGALRM, "SIGTERM": syscall.SIGTERM, "SIGCHLD": syscall.SIGCHLD,
	"SIGCONT": syscall.SIGCONT, "SIGSTOP": syscall.SIGSTOP, "SIGTSTP": syscall.SIGTSTP,
	"SIGWINCH": syscall.SIGWINCH, "SIGBUS": syscall.SIGBUS, "SIGFPE": syscall.SIGFPE,
	"SIGILL": syscall.SIGILL, "SIGTRAP": syscall.SIGTRAP, "SIGXCPU": syscall.SIGXCPU,
}

func signalName(s syscall.Signal) string {
	for name, sig := range signalByName {
		if sig == s {
			return name
		}
	}
	return fmt.Sprintf("signal %d", int(s))
}
