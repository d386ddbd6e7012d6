//go:build tools

// Package tools pins the versions of the commands scripts/gopy.sh builds.
package tools

import (
	_ "github.com/go-python/gopy"
	_ "golang.org/x/tools/cmd/goimports"
)
