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
