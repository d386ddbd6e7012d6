package embed

import (
	"context"
	"fmt"
)

// DoContext is Do bounded by ctx. When ctx ends while fn runs, the Python
// code fn is running gets KeyboardInterrupt at its next bytecode boundary
// (see [Interrupter] for what can and cannot be interrupted); fn sees it as
// the *PyError of the call that was interrupted, and DoContext returns an
// error that wraps both ctx's error (errors.Is(err, context.Canceled) or
// context.DeadlineExceeded) and fn's error (errors.As(err, &pyErr) gives the
// traceback). If fn returns nil anyway - it finished, or caught the
// interrupt - DoContext returns nil. A ctx that has already ended returns
// its error without running fn.
//
// The interpreter stays usable after an interrupt; only the interrupted
// closure's Python code is affected. For CPU-bound Python code the call
// returns within milliseconds of the cancellation on GIL and free-threaded
// builds alike (make stress measures it).
//
// # Deadlocks
//
// As for Do. Cancelling never blocks the goroutine that cancels; DoContext
// itself returns only when fn returns, so Go code in fn that ignores ctx
// (a channel wait, a long computation, Py.Detach) delays it.
func (in *Interpreter) DoContext(ctx context.Context, fn func(py *Py) error) error {
	if ctx.Err() != nil {
		return interrupted(ctx, nil)
	}
	if ctx.Done() == nil { // context.Background and friends never end
		return in.Do(fn)
	}
	return in.Do(func(py *Py) error { return py.withContext(ctx, fn) })
}

// CallContext is Call bounded by ctx, as DoContext bounds Do.
func (in *Interpreter) CallContext(ctx context.Context, callable *Object, args ...any) (*Object, error) {
	var r *Object
	err := in.DoContext(ctx, func(py *Py) error {
		var err error
		r, err = py.Call(callable, args...)
		return err
	})
	if err != nil && r != nil {
		r.Close()
		r = nil
	}
	return r, err
}

// withContext runs fn with the token's Python code interrupted when ctx
// ends. The interrupt is delivered from context.AfterFunc's goroutine, so
// the cancelling goroutine never waits.
func (py *Py) withContext(ctx context.Context, fn func(py *Py) error) error {
	intr := py.Interrupter()
	stop := context.AfterFunc(ctx, func() { intr.Interrupt() })
	err := fn(py)
	if !stop() && err != nil {
		return interrupted(ctx, err)
	}
	return err
}

// interrupted is the error of a call that ctx ended: it wraps ctx's error
// (its cause, when one was given) and, when there is one, the error of the
// interrupted code.
func interrupted(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if err == nil {
		return cause
	}
	return fmt.Errorf("embed: interrupted (%w): %w", cause, err)
}
