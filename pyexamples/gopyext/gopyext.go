// Package gopyext is the Go code that gopy (github.com/go-python/gopy) turns
// into the CPython extension module "gopyext" for plain python processes:
// `make gopy` builds it once per interpreter into gilkit's cache, and
// pyexamples/gopy_threads.py calls it from Python threads.
//
// gopy binds every exported function of this package, so it holds nothing
// but the workloads: plain Go values in and out, no cgo, no Python. Keep it
// that way; gilkit's own tooling lives elsewhere.
package gopyext

import (
	"crypto/sha256"
	"encoding/hex"
	"sync/atomic"
)

// sink keeps the countdown loop observable so the compiler cannot drop it
// (atomic: Python threads run the loop concurrently).
var sink atomic.Uint64

// Countdown counts n down to zero, like the article's Python countdown, and
// returns the value it reached (0 for any n >= 0; n itself when n is
// negative, as the Python loop would). Each step also advances a 64-bit
// linear congruential generator: a bare decrement runs at one step per
// cycle, and at that speed a loop is timed by whatever shares the core's
// front end (on the 2-vCPU machines here one thread ran 10^9 bare steps in
// 0.36 s or in 0.72 s from run to run), while a multiply-add chain runs
// at the same speed alone or beside a neighbour (~1.45 ns a step here),
// so one and two threads compare like with like. It is also the loop of
// gilkit.countdown in gilctl's embedded interpreter (gilctl/internal/bench
// registers it).
func Countdown(n int) int {
	x := uint64(n)
	for n > 0 {
		x = x*6364136223846793005 + 1442695040888963407
		n--
	}
	sink.Store(x)
	return n
}

// HashLoop hashes seed with SHA-256, then hashes the 32-byte digest again,
// rounds times in all, and returns the last digest in hex. With rounds <= 0
// it returns the hex of seed itself. Python's reference:
//
//	h = seed.encode()
//	for _ in range(rounds):
//	    h = hashlib.sha256(h).digest()
//	h.hex()
func HashLoop(seed string, rounds int) string {
	h := []byte(seed)
	for i := 0; i < rounds; i++ {
		d := sha256.Sum256(h)
		h = d[:]
	}
	return hex.EncodeToString(h)
}
