package machine

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// TickS is the unit of the kernel's CPU accounting in /proc (USER_HZ,
// 100 per second on every Linux architecture gilkit runs on).
const TickS = 0.01

// Activity is what the whole machine did during one run, and how much of
// it was this process tree: the difference is other work that competed
// with the run for the cores.
type Activity struct {
	WallS float64 `json:"wall_s"`
	// BusyCPUS is the non-idle time of all CPUs (steal included), from
	// /proc/stat.
	BusyCPUS float64 `json:"busy_cpu_s"`
	// OwnCPUS is the CPU time of this process and of its descendants
	// (worker processes of a pool, a python3 it started).
	OwnCPUS float64 `json:"own_cpu_s"`
	// OtherCPUS is BusyCPUS - OwnCPUS: everything else.
	OtherCPUS float64 `json:"other_cpu_s"`
	// StealS is CPU time the hypervisor gave to other guests.
	StealS float64 `json:"steal_s"`
	// ResolutionS is the typical error of OtherCPUS: one tick per CPU
	// counter and one for our own.
	ResolutionS float64 `json:"resolution_s"`
}

// Snapshot is the machine's CPU counters at one moment.
type Snapshot struct {
	at          time.Time
	busy, steal uint64 // ticks, all CPUs
	own         float64
	cores       int
	err         error
}

// Snap reads the counters now. A machine without /proc gives a snapshot
// whose Until fails.
func Snap() Snapshot {
	s := Snapshot{at: time.Now(), cores: Current().Cores}
	s.busy, s.steal, s.err = readProcStat()
	if s.err == nil {
		s.own, s.err = ownCPUSeconds()
	}
	return s
}

// Until returns the activity between s and a later snapshot.
func (s Snapshot) Until(later Snapshot) (Activity, error) {
	if err := errors.Join(s.err, later.err); err != nil {
		return Activity{}, fmt.Errorf("measuring the machine's load: %w", err)
	}
	a := Activity{
		WallS:       later.at.Sub(s.at).Seconds(),
		BusyCPUS:    float64(later.busy-s.busy) * TickS,
		OwnCPUS:     later.own - s.own,
		StealS:      float64(later.steal-s.steal) * TickS,
		ResolutionS: TickS * math.Sqrt(float64(s.cores+1)),
	}
	a.OtherCPUS = a.BusyCPUS - a.OwnCPUS
	return a, nil
}

// Measure runs fn and returns what the machine did meanwhile, with fn's
// error. A failed measurement gives a nil Activity, never a failed run.
func Measure(fn func() error) (*Activity, error) {
	before := Snap()
	err := fn()
	a, merr := before.Until(Snap())
	if merr != nil {
		return nil, err
	}
	return &a, err
}

// readProcStat returns the non-idle and steal ticks of all CPUs from the
// first line of /proc/stat: cpu user nice system idle iowait irq softirq
// steal guest guest_nice (guest time is already inside user and nice).
func readProcStat() (busy, steal uint64, err error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var v [8]uint64
	for i := range v {
		if v[i], err = strconv.ParseUint(f[i+1], 10, 64); err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: %w", err)
		}
	}
	user, nice, system, irq, softirq := v[0], v[1], v[2], v[5], v[6]
	steal = v[7]
	return user + nice + system + irq + softirq + steal, steal, nil
}

// ownCPUSeconds is the CPU time of this process (precise, from getrusage),
// of its children already waited for, and of every live descendant (from
// /proc, in ticks).
func ownCPUSeconds() (float64, error) {
	var self, children syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err != nil {
		return 0, err
	}
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children); err != nil {
		return 0, err
	}
	total := tvSeconds(self.Utime) + tvSeconds(self.Stime) + tvSeconds(children.Utime) + tvSeconds(children.Stime)
	desc, err := descendantTicks(os.Getpid())
	return total + float64(desc)*TickS, err
}

func tvSeconds(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }

// procStat is what gilctl needs of /proc/PID/stat.
type procStat struct {
	ppid  int
	ticks uint64 // utime + stime + cutime + cstime
}

// descendantTicks adds up the CPU ticks of every live descendant of pid
// (their own and their waited-for children's).
func descendantTicks(pid int) (uint64, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	children := map[int][]int{}
	stats := map[int]procStat{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readProcPIDStat(p)
		if err != nil {
			continue // it exited meanwhile
		}
		stats[p] = st
		children[st.ppid] = append(children[st.ppid], p)
	}
	var total uint64
	queue := append([]int(nil), children[pid]...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		total += stats[p].ticks
		queue = append(queue, children[p]...)
	}
	return total, nil
}

func readProcPIDStat(pid int) (procStat, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	return parseProcPIDStat(pid, data)
}

func parseProcPIDStat(pid int, data []byte) (procStat, error) {
	// The command name (field 2) may hold spaces and parentheses: the
	// fields after it start behind the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	// f[0] is field 3 (state); ppid is field 4, utime..cstime 14..17.
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: too short", pid)
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return procStat{}, err
	}
	var st procStat
	st.ppid = ppid
	for _, k := range []int{11, 12, 13, 14} {
		n, err := strconv.ParseInt(f[k], 10, 64) // cutime may be negative in theory
		if err != nil {
			return procStat{}, err
		}
		if n > 0 {
			st.ticks += uint64(n)
		}
	}
	return st, nil
}
