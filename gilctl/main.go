// Command gilctl runs Python in an embedded CPython and measures what the
// GIL does. Each build links one interpreter: bin/gilctl-3.12,
// bin/gilctl-3.13t, ... Run `gilctl help` for the commands.
package main

import (
	"os"
	"runtime"

	"github.com/gilkit/gilkit/embed"
	_ "github.com/gilkit/gilkit/embed/crashlikepython" // a fault in C code kills as it kills python
	"github.com/gilkit/gilkit/gilctl/internal/cli"
)

// Go runs main on the process's main thread only when an init function
// locks it there; embed.Main then gives that thread to CPython, so that
// `gilctl run` has python's main thread: its stack, and the signals the
// kernel sends to the process first.
func init() { runtime.LockOSThread() }

func main() {
	embed.Main(func() int { return cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr) })
}
