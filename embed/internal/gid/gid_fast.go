//go:build amd64 || arm64

package gid

// Current identifies the calling goroutine (see the package documentation).
// It is implemented in assembly: the runtime keeps the current g in
// thread-local storage on amd64 and in register R28 on arm64.
func Current() uintptr
