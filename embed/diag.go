package embed

/*
#include "gilkit.h"
*/
import "C"

// threadStates counts the thread states of the interpreter py is attached
// to: one per OS thread that ever attached, so a count that grows with the
// number of calls is a leak (the stress test checks it).
func (py *Py) threadStates() int {
	py.check()
	return int(C.gk_count_thread_states())
}
