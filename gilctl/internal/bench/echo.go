package bench

import (
	"bufio"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"
)

// echoServer is the loopback server of the io-socket workload: it answers
// each line after a delay, so that a client round trip is a real wait. It
// runs in Go, outside the GIL, so the server never competes with Python.
type echoServer struct {
	ln    net.Listener
	delay time.Duration
	wg    sync.WaitGroup
}

func startEchoServer(delay time.Duration) (*echoServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &echoServer{ln: ln, delay: delay}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *echoServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *echoServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		go s.serve(conn)
	}
}

func (s *echoServer) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return
		}
		pause(s.delay)
		if _, err := conn.Write(line); err != nil {
			return
		}
	}
}

func (s *echoServer) close() {
	s.ln.Close()
	s.wg.Wait()
}

// pause waits d. time.Sleep rounds short waits up to about a millisecond
// (the runtime's timers wake through the network poller, whose timeout is
// in milliseconds), which would turn the I/O probe's 100 µs answer into
// 1.1 ms; a nanosleep system call on this goroutine's thread is precise
// to the kernel's timer slack (~50 µs) and uses no CPU while it waits.
func pause(d time.Duration) {
	switch {
	case d <= 0:
		return
	case d >= 2*time.Millisecond:
		time.Sleep(d)
		return
	}
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	for {
		var left syscall.Timespec
		err := syscall.Nanosleep(&ts, &left)
		if !errors.Is(err, syscall.EINTR) {
			return
		}
		ts = left // a signal (the Go runtime's preemption) cut it short
	}
}
