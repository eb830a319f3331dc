package testredis

import (
	"context"
	"testing"
	"time"
)

func TestStart(t *testing.T) {
	s := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	s.Stop()
}

func TestStartOnSamePort(t *testing.T) {
	s := Start(t)
	s.Stop()
	s2 := StartOn(t, s.Port())
	if s2.Addr != s.Addr {
		t.Fatalf("StartOn(%d) listens on %s, want %s", s.Port(), s2.Addr, s.Addr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s2.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}
