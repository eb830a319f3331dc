// Package testredis starts a real redis-server for a test: on a free loopback
// port, in a temporary directory, stopped when the test ends.
//
// Without redis-server on the PATH the test is skipped with a loud message,
// unless KESTREL_REQUIRE_REDIS=1 (set by .ci/run), where it fails.
package testredis

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	Addr string // host:port on loopback
	cmd  *exec.Cmd
}

// Start starts a redis-server for t and returns it; t.Cleanup stops it.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, 0)
}

// StartOn starts a redis-server for t on the given loopback port, as Start
// does; tests use it to bring Redis back where a stopped Server was:
//
//	s.Stop()
//	...
//	s = testredis.StartOn(t, s.Port())
func StartOn(t testing.TB, port int) *Server {
	t.Helper()
	return start(t, port)
}

// Port returns the server's port.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr)
	n, _ := strconv.Atoi(p)
	return n
}

// start starts a redis-server on port, or on a free port when port is 0.
func start(t testing.TB, port int) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("KESTREL_REQUIRE_REDIS") == "1" {
			t.Fatal("redis-server is not on the PATH and KESTREL_REQUIRE_REDIS=1: install it (apt-get install redis-server)")
		}
		t.Skip("SKIPPING: redis-server is not on the PATH; install it (apt-get install redis-server) to run the Redis tests")
	}
	dir := t.TempDir()
	fixed := port != 0
	for attempt := 0; ; attempt++ {
		if !fixed {
			port, err = freePort()
			if err != nil {
				t.Fatal(err)
			}
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--dir", dir,
			"--save", "", "--appendonly", "no", "--protected-mode", "yes")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan error, 1)
		go func() {
			var log strings.Builder
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				log.WriteString(sc.Text() + "\n")
				if strings.Contains(sc.Text(), "Ready to accept connections") {
					ready <- nil
					for sc.Scan() { // drain, so the server never blocks on its output
					}
					return
				}
			}
			ready <- fmt.Errorf("redis-server exited:\n%s", log.String())
		}()
		select {
		case err = <-ready:
		case <-time.After(10 * time.Second):
			err = fmt.Errorf("redis-server did not become ready in 10s")
		}
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			if attempt < 3 { // the port may have been taken meanwhile (or, for a fixed port, not yet released)
				if fixed {
					time.Sleep(100 * time.Millisecond)
				}
				continue
			}
			t.Fatal(err)
		}
		s := &Server{Addr: addr, cmd: cmd}
		t.Cleanup(s.Stop)
		return s
	}
}

// Stop kills the server (it is idempotent); tests use it to lose Redis.
func (s *Server) Stop() {
	if s.cmd.ProcessState == nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Wait polls until the server answers PING or ctx ends.
func (s *Server) Wait(ctx context.Context) error {
	for {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err == nil {
			c.Write([]byte("PING\r\n"))
			buf := make([]byte, 7)
			c.SetReadDeadline(time.Now().Add(time.Second))
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "+PONG") {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
