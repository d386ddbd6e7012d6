package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"errors"
	"strconv"
)

// Errors returned by the lifecycle of an [Interpreter].
var (
	// ErrAlreadyStarted is returned by Start when an interpreter is running.
	ErrAlreadyStarted = errors.New("embed: CPython is already started in this process")
	// ErrFinalized is returned by Start once CPython was finalized (or failed
	// to start): CPython cannot be initialized twice in one process.
	ErrFinalized = errors.New("embed: CPython was finalized in this process and cannot be started again")
	// ErrClosed is returned by Do and friends after Close.
	ErrClosed = errors.New("embed: interpreter is closed")
	// ErrOtherInterpreter is returned when a goroutine attached to one
	// interpreter tries to attach to another inside that closure.
	ErrOtherInterpreter = errors.New("embed: this goroutine is already attached to another interpreter")
)

// PyError is a Python exception seen from Go. Every exception raised by
// Python code run through this package is returned as a *PyError (wrapped
// with context; use errors.As).
type PyError struct {
	// Type is the exception's qualified type name: "ValueError",
	// "json.decoder.JSONDecodeError".
	Type string
	// Message is str(exception).
	Message string
	// Traceback is the formatted traceback, as Python would print it.
	Traceback string
	// Filename and Line locate a SyntaxError (zero otherwise).
	Filename string
	Line     int
	// ExitCode is the status a SystemExit asked for (see IsSystemExit).
	ExitCode int
	// systemExit marks SystemExit, which is never turned into an exit of
	// the Go process.
	systemExit bool
	// exc is the exception object itself (main interpreter only), so that
	// a Go function called from Python that returns this error raises the
	// very same exception again, traceback included (see Func).
	exc *Object
}

// Error returns "Type: message".
func (e *PyError) Error() string {
	if e.Message == "" {
		return e.Type
	}
	return e.Type + ": " + e.Message
}

// IsSystemExit reports whether the exception is SystemExit (sys.exit());
// ExitCode then holds its status.
func (e *PyError) IsSystemExit() bool { return e.systemExit }

// Where returns "file:line" for a SyntaxError, or "".
func (e *PyError) Where() string {
	if e.Filename == "" {
		return ""
	}
	return e.Filename + ":" + strconv.Itoa(e.Line)
}

// fetchError takes the pending Python exception of the attached thread. It
// never returns nil: a C helper that failed without setting an exception
// still yields an error.
func fetchError() error {
	var ce C.gk_error
	if C.gk_fetch_error(&ce) == 0 {
		return errors.New("embed: CPython reported a failure without an exception")
	}
	return takeError(&ce)
}

// takeError converts an exception taken by C and frees its strings.
func takeError(ce *C.gk_error) error {
	defer C.gk_error_free(ce)
	if ce._type == nil {
		return errors.New("embed: CPython reported a failure without an exception")
	}
	var exc *Object
	if ce.exc != nil {
		if st := mainInterpState.Load(); st != nil {
			// Detached-safe: the reference is dropped through st's queue.
			exc = newDetachedObject(st, ce.exc)
		}
	}
	return &PyError{
		exc:        exc,
		Type:       goString(ce._type),
		Message:    goString(ce.message),
		Traceback:  goString(ce.traceback),
		Filename:   goString(ce.filename),
		Line:       int(ce.lineno),
		ExitCode:   int(ce.exit_code),
		systemExit: ce.is_system_exit != 0,
	}
}

func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}
