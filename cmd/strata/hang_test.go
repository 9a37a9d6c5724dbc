//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// silentServer accepts connections and never answers, holding them open.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		held []net.Conn
	)
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().String()
}

// TestSilentServer: against a server that accepts the connection and
// never answers, strata gives up after connect_timeout, and stops within
// a second of one SIGTERM while it waits (default timeout, 10 s).
func TestSilentServer(t *testing.T) {
	bin, err := exec.LookPath("strata")
	if err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"postgres", "mysql"} {
		t.Run(scheme, func(t *testing.T) {
			addr := silentServer(t)
			dir := t.TempDir()
			os.Mkdir(dir+"/migrations", 0o755)
			run := func(url string) (*exec.Cmd, *bytes.Buffer, chan error) {
				cmd := exec.Command(bin, "upgrade")
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "STRATA_DATABASE_URL="+url)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				return cmd, &out, done
			}
			exitCode := func(err error) int {
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					return ee.ExitCode()
				}
				return -1
			}

			start := time.Now()
			_, out, done := run(fmt.Sprintf("%s://app@%s/db?connect_timeout=1", scheme, addr))
			select {
			case err := <-done:
				if code := exitCode(err); code != 2 || !strings.Contains(out.String(), "no answer within 1s") {
					t.Errorf("connect_timeout=1: exit %d after %s:\n%s", code, time.Since(start), out)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("connect_timeout=1: still waiting after 10s:\n%s", out)
			}

			cmd, out, done := run(fmt.Sprintf("%s://app@%s/db", scheme, addr))
			time.Sleep(500 * time.Millisecond)
			cmd.Process.Signal(syscall.SIGTERM)
			signalled := time.Now()
			select {
			case err := <-done:
				if code := exitCode(err); code != 2 || time.Since(signalled) > time.Second {
					t.Errorf("SIGTERM: exit %d, %s after the signal:\n%s", code, time.Since(signalled), out)
				}
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("SIGTERM: still waiting after 5s:\n%s", out)
			}
		})
	}
}
