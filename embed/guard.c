// guard.c: finalization guards (PEP 788, CPython 3.15+; see compat.h).
//
// A guard keeps CPython from beginning to finalize while it is open, and
// taking one fails once finalization has begun. gilkit takes one around a
// Do only where CPython finalizes on its own schedule (Command.Run, whose
// Py_RunMain finalizes when the program ends): there a goroutine that
// attached during Py_FinalizeEx would hang forever (3.14+), and one still
// inside Do would have the interpreter finalized under it. Elsewhere
// Interpreter.Close already waits for every Do and refuses new ones, so
// the call path pays nothing for it.
#include <pthread.h>
#include "gilkit.h"

int gk_have_pep788(void) { return GK_HAVE_PEP788; }

#if GK_HAVE_PEP788
static PyInterpreterView *main_view;
static pthread_once_t main_view_once = PTHREAD_ONCE_INIT;

// A view needs no thread state and stays valid after the interpreter is
// gone; one for the process, never closed.
static void make_main_view(void) { main_view = PyInterpreterView_FromMain(); }

void *gk_guard_main(void) {
	pthread_once(&main_view_once, make_main_view);
	return main_view ? PyInterpreterGuard_FromView(main_view) : NULL;
}

void gk_guard_close(void *guard) {
	if (guard != NULL) PyInterpreterGuard_Close((PyInterpreterGuard *)guard);
}
#else
void *gk_guard_main(void) { return NULL; }
void gk_guard_close(void *guard) { (void)guard; }
#endif
