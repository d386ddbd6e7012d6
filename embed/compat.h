// compat.h: Python.h, and what gilkit meets that differs between the CPython
// versions it supports (3.11 to 3.15), named. gilkit.h includes this instead
// of Python.h. Differences older files still test with PY_VERSION_HEX where
// they use them (attach.c, interrupt.c, subinterp.c, pymain.c) are listed at
// the end, so that this file is the one place to read them all.
#ifndef GILKIT_COMPAT_H
#define GILKIT_COMPAT_H

// 3.15: pyconfig.h asks for POSIX 2024 (_POSIX_C_SOURCE 202405L,
// _XOPEN_SOURCE 800). Where a system header was included first (every file
// cgo generates includes <stdlib.h> before gilkit's preamble), glibc's
// features.h has already settled on its own values, and pyconfig.h's
// redefinition only warns. features.h is read once, so dropping the old
// values changes nothing that was declared; it keeps 3.15 builds quiet.
#undef _POSIX_C_SOURCE
#undef _XOPEN_SOURCE

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030B0000
#error "gilkit needs CPython 3.11 or newer"
#endif

// ---- finalization ---------------------------------------------------------

// GK_ATTACH_IN_FINALIZATION_HANGS: a thread that attaches
// (PyEval_RestoreThread, PyGILState_Ensure) while Py_FinalizeEx runs hangs
// forever from 3.14 on; before, CPython ended it with pthread_exit, which
// takes the Go runtime with it when the thread is one of Go's. Either way
// gilkit must not attach then: Interpreter.Close waits for every Do before
// finalizing, and refuses new ones.
#define GK_ATTACH_IN_FINALIZATION_HANGS (PY_VERSION_HEX >= 0x030E0000)

// GK_HAVE_PEP788: finalization guards and interpreter views (PEP 788,
// 3.15): PyInterpreterGuard_FromView fails, without an attached thread
// state, once the interpreter has begun finalizing, and Py_FinalizeEx waits
// until every guard is closed. PyThreadState_Ensure/EnsureFromView attach
// under such a guard (soft-deprecating PyGILState_Ensure). gilkit holds a
// guard around each Do where it does not decide when CPython finalizes
// (Command.Run: Py_RunMain finalizes when the program ends); see guard.c.
#define GK_HAVE_PEP788 (PY_VERSION_HEX >= 0x030F0000)

// ---- the C stack ----------------------------------------------------------

// GK_MEASURES_C_STACK: from 3.14 on CPython bounds C recursion by the real
// stack of each thread (its bounds from pthread_getattr_np) rather than by
// a fixed depth (Py_C_RECURSION_LIMIT, tuned for 8 MiB stacks). The big
// stack gilkit gives CPython's main thread (mainthread.go) then buys depth
// instead of preventing a crash: str() of a dict nested 200,000 deep
// succeeds on a 1 GiB stack, slowly (Py_ReprEnter is linear in the depth),
// where 3.13 raised RecursionError.
#define GK_MEASURES_C_STACK (PY_VERSION_HEX >= 0x030E0000)

// ---- differences handled where they are used ------------------------------
//
// - The attached thread state: PyThreadState_GetUnchecked (public from
//   3.13), _PyThreadState_UncheckedGet (3.12: thread-local), and before 3.12
//   the runtime-wide GIL holder (attach.c, subinterp.c).
// - Py_IsFinalizing (public from 3.13), _Py_IsFinalizing before (pymain.c).
// - Pending calls any thread runs (3.12+), through the private
//   _PyEval_AddPendingCall (exported for _testinternalcapi; its last
//   argument is "mainthreadonly" in 3.12, a flags word in 3.13-3.15 where 0
//   means the same); 3.11 delivers interrupts attached (interrupt.c).
// - Subinterpreters with their own GIL, PyInterpreterConfig (3.12+,
//   subinterp.c).
// - Immortal objects (3.12+, PEP 683): None, True and False need no
//   reference counting (object.go). Their reference count reads
//   4294967295 on 3.12 and 3.13, 3221225472 from 3.14 on.
// - PyConfig.enable_gil exists only in free-threaded builds (interp.c).

#endif
