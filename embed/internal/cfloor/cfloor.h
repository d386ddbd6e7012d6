// cfloor.h: the C side of package cfloor. Python.h is not included here:
// only cfloor.c sees the C API, so the Go side's preamble needs none of it.
#ifndef CFLOOR_H
#define CFLOOR_H

#include <stdint.h>

// cf_have_pep788 is 1 where the linked CPython has PEP 788 (3.15+).
int cf_have_pep788(void);
// cf_running reports whether CPython is initialized; no GIL needed.
int cf_running(void);
// cf_seen reports whether Python has a thread state for the calling thread
// (PyGILState_GetThisThreadState); no GIL needed.
int cf_seen(void);

// cf_compile runs src in a new namespace of the main interpreter, attached
// through PyGILState_Ensure, and returns a new reference to the callable
// that src binds to name; 0 with *err set (malloc'd) otherwise.
uintptr_t cf_compile(const char *src, const char *name, char **err);

// The floors: one call of fn (a callable of no arguments) each, from a
// thread that is not attached. 0, or -1 when the call raised (the exception
// is cleared) or could not attach.
//
// cf_kept_call attaches the thread state cfloor keeps for this thread
// (created on first use), calls and detaches.
int cf_kept_call(uintptr_t fn);
// cf_gilstate_call is PyGILState_Ensure, call, PyGILState_Release.
int cf_gilstate_call(uintptr_t fn);
// cf_ensure_call is PyThreadState_EnsureFromView (a view of the main
// interpreter), call, PyThreadState_Release; -1 before 3.15.
int cf_ensure_call(uintptr_t fn);
// cf_guarded_kept_call is cf_kept_call under a finalization guard of the
// main interpreter, taken before and closed after; -1 before 3.15.
int cf_guarded_kept_call(uintptr_t fn);
// cf_nothing does nothing: one cgo crossing.
void cf_nothing(void);

// cf_keep creates the thread state cfloor keeps for this thread, without
// attaching it; -1 when PyThreadState_New fails.
int cf_keep(void);
// cf_forget deletes it, if there is one.
void cf_forget(void);

#endif
