package service

import (
	"context"
	"fmt"
	"testing"

	"github.com/kestrelcep/kestrel/alerts"
)

func msg(output, rule, key string, n int) alerts.Message {
	return alerts.Message{Output: output, ID: fmt.Sprintf("id%d", n), Key: []byte(key),
		JSON: fmt.Appendf(nil, `{"id":"id%d","rule":%q,"key":%s}`, n, rule, key)}
}

func drain(sub *Subscription) []string {
	var ids []string
	for {
		select {
		case m, ok := <-sub.Records:
			if !ok {
				return append(ids, "closed")
			}
			ids = append(ids, m.ID)
		default:
			return ids
		}
	}
}

func TestBroadcastFilters(t *testing.T) {
	b := newBroadcast()
	all := b.subscribe("alerts", "", "", 100)
	byRule := b.subscribe("alerts", "r1", "", 100)
	byKey := b.subscribe("alerts", "", "c1", 100) // the string key "c1"
	byNum := b.subscribe("alerts", "", "7", 100)  // the number 7 or the string "7"
	composite := b.subscribe("alerts", "r2", `["a", 1]`, 100)
	shadow := b.subscribe("shadow", "", "", 100)
	b.write(context.Background(), []alerts.Message{
		msg("alerts", "r1", `"c1"`, 0),
		msg("alerts", "r2", `"c2"`, 1),
		msg("shadow", "r1", `"c1"`, 2),
		msg("alerts", "r2", `7`, 3),
		msg("alerts", "r2", `"7"`, 4),
		msg("alerts", "r2", `["a",1]`, 5),
	})
	for name, c := range map[string]struct {
		sub  *Subscription
		want string
	}{
		"all":       {all, "[id0 id1 id3 id4 id5]"},
		"rule":      {byRule, "[id0]"},
		"key":       {byKey, "[id0]"},
		"number":    {byNum, "[id3 id4]"},
		"composite": {composite, "[id5]"},
		"shadow":    {shadow, "[id2]"},
	} {
		if got := fmt.Sprint(drain(c.sub)); got != c.want {
			t.Errorf("%s: got %s, want %s", name, got, c.want)
		}
	}
	byRule.Close()
	if got := fmt.Sprint(drain(byRule)); got != "[closed]" {
		t.Errorf("after Close: %s", got)
	}
	b.close()
	if got := fmt.Sprint(drain(all)); got != "[closed]" || all.Dropped() {
		t.Errorf("after the broadcast closed: %s, dropped %v", got, all.Dropped())
	}
}

// TestBroadcastSlowSubscriber: a subscriber whose buffer is full is dropped,
// and the write never waits; the others go on.
func TestBroadcastSlowSubscriber(t *testing.T) {
	b := newBroadcast()
	slow := b.subscribe("alerts", "", "", 2)
	fast := b.subscribe("alerts", "", "", 100)
	for i := range 5 {
		b.write(context.Background(), []alerts.Message{msg("alerts", "r", `"k"`, i)})
	}
	if got := fmt.Sprint(drain(slow)); got != "[id0 id1 closed]" || !slow.Dropped() {
		t.Errorf("slow: %s, dropped %v", got, slow.Dropped())
	}
	if got := fmt.Sprint(drain(fast)); got != "[id0 id1 id2 id3 id4]" || fast.Dropped() {
		t.Errorf("fast: %s, dropped %v", got, fast.Dropped())
	}
	if len(b.subs) != 1 {
		t.Errorf("%d subscribers left, want 1", len(b.subs))
	}
	slow.Close() // after the drop: nothing happens
}
