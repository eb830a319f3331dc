package service

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/config"
)

func startService(t *testing.T, opts Options) *Service {
	t.Helper()
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Rules = []string{"../testdata/tour"}
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Checkpoint.Interval = time.Hour
	s, err := Start(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s
}

// TestReplayQueue: past MaxConcurrent, replays wait their turn, and one
// cancelled while waiting never runs.
func TestReplayQueue(t *testing.T) {
	s := startService(t, Options{Replays: ReplayOptions{MaxConcurrent: 1}})
	f, err := os.CreateTemp(t.TempDir(), "up")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"1","card_id":"c","amount":1,"merchant":"m","ts":"2026-03-01T10:00:00Z"}` + "\n")
	f.Seek(0, 0)
	up, err := s.SaveUpload(f, "")
	if err != nil || up.Format != "jsonl" || up.Gzip {
		t.Fatalf("upload %+v, %v", up, err)
	}
	s.replays.sem <- struct{}{} // the one turn is taken
	req := ReplayRequest{Rules: []string{"card_testing"}, Events: map[string]string{"txn": up.ID}}
	a, err := s.StartReplay(req, "t")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.StartReplay(req, "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a, b} {
		if st, _ := s.Replay(id); st.Status != ReplayQueued {
			t.Errorf("%s: %s, want queued", id, st.Status)
		}
	}
	st, err := s.CancelReplay(b)
	if err != nil || st.Status != ReplayCancelled || st.Started != nil {
		t.Errorf("cancelled while queued: %+v, %v", st, err)
	}
	<-s.replays.sem // the turn is free: a runs
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, _ := s.Replay(a)
		if st.Status == ReplayDone {
			if st.Progress.Events != 1 {
				t.Errorf("progress %+v", st.Progress)
			}
			break
		}
		if st.Status == ReplayFailed || time.Now().After(deadline) {
			t.Fatalf("replay %+v", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := s.Replays(); len(got) != 2 {
		t.Errorf("%d replays listed", len(got))
	}
}
