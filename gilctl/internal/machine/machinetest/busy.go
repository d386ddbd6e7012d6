// Package machinetest gives tests a real neighbour: a busy loop in a
// process that is not a descendant of the test, as another user's program
// would be.
package machinetest

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BusyLoop starts `while :; do :; done` in a shell that is orphaned at once
// (so it is not counted as the test's own CPU time) and kills it when the
// test ends. It waits until the loop has used some CPU, so that it is
// really running when BusyLoop returns.
func BusyLoop(t testing.TB) {
	t.Helper()
	out, err := exec.Command("sh", "-c", `sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 & echo $!`).Output()
	if err != nil {
		t.Fatalf("starting a busy loop: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("busy loop pid %q: %v", out, err)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cpuTicks(pid) > 5 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the busy loop (pid %d) did not start running within 10 s", pid)
}

// cpuTicks is utime+stime of pid, or 0.
func cpuTicks(pid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(string(data), ')')
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}
