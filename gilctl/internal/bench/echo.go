package bench

import (
	"bufio"
	"net"
	"sync"
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
		time.Sleep(s.delay)
		if _, err := conn.Write(line); err != nil {
			return
		}
	}
}

func (s *echoServer) close() {
	s.ln.Close()
	s.wg.Wait()
}
