// Package machine describes the computer a measurement ran on.
package machine

import (
	"os"
	"runtime"
)

// Machine is recorded beside every result: the same figures mean different
// things on 2 cores and on 64.
type Machine struct {
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	GoVersion  string `json:"go_version"`
	Hostname   string `json:"hostname"`
}

// Current describes this process's machine.
func Current() Machine {
	host, _ := os.Hostname()
	return Machine{
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		GoVersion:  runtime.Version(),
		Hostname:   host,
	}
}
