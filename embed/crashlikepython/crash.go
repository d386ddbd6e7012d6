// Package crashlikepython makes a fault in C code end the process the way
// it ends python: killed by the signal (SIGSEGV, SIGBUS, SIGFPE or SIGILL),
// with no Go crash report. Import it for its side effect in a program that
// runs Python scripts as python does (gilctl run does):
//
//	import _ "github.com/gilkit/gilkit/embed/crashlikepython"
//
// Without it, a segmentation fault in CPython or in an extension module
// prints Go's "signal arrived during cgo execution" report with every
// goroutine's stack and exits with status 2. Faults in Go code are not
// affected: a nil pointer dereference is still a Go panic.
//
// How: a C constructor installs a handler for those signals before the Go
// runtime starts. The runtime installs its own handlers over it but keeps it
// to forward to: it forwards a synchronous signal raised by non-Go code
// (os/signal's documentation, "Go programs that use cgo"). The handler puts
// the default action back and returns, so the faulting instruction runs
// again and the kernel ends the process.
package crashlikepython

/*
#include <signal.h>
#include <string.h>

static void die_like_c(int sig) {
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	// Returning re-executes the faulting instruction, which now kills.
	// (A signal sent with kill(2) is not forwarded by Go: it stays Go's.)
}

__attribute__((constructor)) static void install(void) {
	int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction a;
		memset(&a, 0, sizeof a);
		a.sa_handler = die_like_c;
		a.sa_flags = SA_ONSTACK;
		sigemptyset(&a.sa_mask);
		sigaction(sigs[i], &a, NULL);
	}
}
*/
import "C"
