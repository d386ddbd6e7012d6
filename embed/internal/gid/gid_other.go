//go:build !amd64 && !arm64

package gid

import (
	"runtime"
	"strconv"
	"strings"
)

// Current identifies the calling goroutine by the id runtime.Stack prints
// ("goroutine 18 [running]:"); slower than the assembly of amd64 and arm64,
// but as unique.
func Current() uintptr {
	var buf [64]byte
	s := string(buf[:runtime.Stack(buf[:], false)])
	s = strings.TrimPrefix(s, "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		panic("gid: cannot parse goroutine id from runtime.Stack: " + err.Error())
	}
	return uintptr(id)
}
