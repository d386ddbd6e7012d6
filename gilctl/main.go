// Command gilctl runs Python in an embedded CPython and measures what the
// GIL does. Each build links one interpreter: bin/gilctl-3.12,
// bin/gilctl-3.13t, ... Run `gilctl help` for the commands.
package main

import (
	"os"

	"github.com/gilkit/gilkit/gilctl/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
