package crawler

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/clock"
)

func TestSchedulerCappedNext(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		spec    string
		cap     time.Duration
		wantGap time.Duration
	}{
		{"@every 1m", time.Hour, time.Hour},
		{"@every 2h", time.Hour, 2 * time.Hour},
		{"* * * * *", 6 * time.Hour, 6 * time.Hour},
		{"0 * * * *", 90 * time.Minute, 2 * time.Hour}, // hourly at :00, capped: every other hour
		{"@every 30m", 0, 30 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			inner, err := cronParser.Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			var s interface{ Next(time.Time) time.Time } = inner
			if tt.cap > 0 {
				s = schedCapped{inner: inner, min: tt.cap}
			}
			prev := s.Next(t0)
			for range 4 {
				next := s.Next(prev)
				if gap := next.Sub(prev); gap != tt.wantGap {
					t.Fatalf("gap %s, want %s", gap, tt.wantGap)
				}
				prev = next
			}
		})
	}
}

func TestSchedulerJitterBounds(t *testing.T) {
	if d := schedJitter(0); d != 0 {
		t.Errorf("no jitter gave %s", d)
	}
	for range 200 {
		if d := schedJitter(10 * time.Minute); d < 0 || d >= 10*time.Minute {
			t.Fatalf("jitter %s outside [0, 10m)", d)
		}
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not a wait for an outcome
	}
}

func TestSchedulerRunsAndStops(t *testing.T) {
	site := newTestSite(t)
	site.serve("/jobs", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Job"}))
	src := localSource("s", "tjson", site.URL+"/jobs")
	src.Schedule = "@every 1s"
	c, _, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{})
	c.now, c.sleep = time.Now, clock.Sleep // real time: cron runs on the wall clock
	c.limiter = newPoliteLimiter(time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	waitFor(t, "two scheduled runs", 10*time.Second, func() bool { return site.count("/jobs") >= 2 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	n := site.count("/jobs")
	st, _ := c.Status(context.Background())
	if st[0].LastRun.IsZero() || st[0].OffersFound != 1 {
		t.Errorf("status after scheduled runs: %+v", st[0])
	}
	// Stopped means stopped: nothing more is fetched.
	if m := site.count("/jobs"); m != n {
		t.Errorf("%d requests after Run returned", m-n)
	}
}

func TestSchedulerNoOverlap(t *testing.T) {
	site := newTestSite(t)
	release := make(chan struct{})
	site.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		_, _ = w.Write(tjBody(t, tjPosting{ID: "1", Title: "Job"}))
	})
	src := localSource("s", "tjson", site.URL+"/slow")
	src.Schedule = "@every 1s"
	logs := &logRecorder{}
	c, _, _ := newTestCrawler(t, Config{Logger: slog.New(logs), Timeout: time.Minute}, []SourceConfig{src}, Deps{})
	c.now, c.sleep = time.Now, clock.Sleep
	c.limiter = newPoliteLimiter(time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	// A tick fires while the first run still waits on the server: cron
	// must skip it instead of starting a second run.
	waitFor(t, "a skipped tick", 10*time.Second, func() bool { return len(logs.find("cron: skip")) > 0 })
	if _, err := c.RunSource(ctx, "s"); err == nil {
		t.Error("RunSource during a scheduled run of the same source succeeded")
	}
	close(release)
	cancel()
	<-done
	site.mu.Lock()
	maxIn := site.maxInflight
	site.mu.Unlock()
	if maxIn != 1 {
		t.Errorf("%d concurrent requests to the source, want 1", maxIn)
	}
}

func TestSchedulerPollCapAndJitter(t *testing.T) {
	site := newTestSite(t)
	site.serve("/jobs", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Job"}))
	src := localSource("s", "tjson", site.URL+"/jobs")
	src.PollCap = time.Hour
	src.Jitter = 10 * time.Minute
	state := NewMemState()
	c, clk, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{State: state})
	ctx := context.Background()
	sc := src.Name

	c.schedRun(ctx, sc, true) // first run ever: allowed
	if n := site.count("/jobs"); n != 1 {
		t.Fatalf("first scheduled run fetched %d times", n)
	}
	if len(clk.waits) == 0 || clk.waits[0] >= 10*time.Minute {
		t.Errorf("jitter waits %v, want a first wait in [0, 10m)", clk.waits)
	}
	// Another process (or a restart) runs it again 20 minutes later: refused
	// by the cap recorded in the shared state.
	clk.advance(20*time.Minute - clk.now().Sub(mustLastRun(t, state)))
	c.schedRun(ctx, sc, true)
	if n := site.count("/jobs"); n != 1 {
		t.Errorf("run within poll_cap fetched (%d requests)", n)
	}
	clk.advance(time.Hour)
	c.schedRun(ctx, sc, true)
	if n := site.count("/jobs"); n != 2 {
		t.Errorf("run after poll_cap: %d requests, want 2", n)
	}
}

func mustLastRun(t *testing.T, s StateStore) time.Time {
	t.Helper()
	st, err := s.Get(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	return st.LastRun
}
