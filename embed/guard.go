package embed

/*
#include "gilkit.h"
*/
import "C"

import "unsafe"

// hasPEP788 reports whether the linked CPython has finalization guards
// (PEP 788, 3.15+; see compat.h).
var hasPEP788 = C.gk_have_pep788() != 0

// finalizationGuard is an open guard of the main interpreter, or the zero
// value where none is taken.
type finalizationGuard struct{ p unsafe.Pointer }

// guard takes a finalization guard for one Do when the interpreter is run
// by Command.Run on 3.15+ (guardDo): CPython then finalizes when the
// program ends, not when gilkit says, and the guard makes Py_FinalizeEx
// wait for this Do, or makes this Do fail (ok false: ErrClosed) once
// finalizing has begun, instead of attaching to a finalizing interpreter
// (which hangs the thread forever). Elsewhere Close waits for every Do and
// refuses new ones itself, and guard costs one predictable branch.
func (in *Interpreter) guard() (g finalizationGuard, ok bool) {
	if !in.guardDo {
		return finalizationGuard{}, true
	}
	p := C.gk_guard_main()
	return finalizationGuard{p}, p != nil
}

func (g finalizationGuard) close() {
	if g.p != nil {
		C.gk_guard_close(g.p)
	}
}
