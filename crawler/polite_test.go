package crawler

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

func TestPoliteRobots(t *testing.T) {
	site := newTestSite(t)
	site.serve("/robots.txt", "text/plain", readTestdata(t, "robots.txt"))
	site.serve("/jobs/1", "text/plain", []byte("one"))
	site.serve("/jobs/2", "text/plain", []byte("two"))
	site.serve("/private/cv", "text/plain", []byte("no"))
	c, clk, _ := newTestCrawler(t, Config{DefaultRate: 100}, nil, Deps{})
	ctx := context.Background()
	var starts []time.Time
	for _, p := range []string{"/jobs/1", "/jobs/2"} {
		if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + p, AllowPrivate: true}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		starts = append(starts, clk.now())
	}
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/private/cv", AllowPrivate: true}); !errors.Is(err, ErrRobotsDisallowed) {
		t.Errorf("/private/cv: err = %v, want ErrRobotsDisallowed", err)
	}
	if n := site.count("/private/cv"); n != 0 {
		t.Errorf("disallowed path fetched %d times", n)
	}
	if n := site.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", n)
	}
	// Crawl-delay 7 is a floor above the 100 req/s rate.
	if gap := starts[1].Sub(starts[0]); gap < 7*time.Second {
		t.Errorf("gap between requests %s, want >= Crawl-delay 7s", gap)
	}
	// The cache expires: a day later robots.txt is read again.
	clk.advance(25 * time.Hour)
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/jobs/1", AllowPrivate: true}); err != nil {
		t.Fatal(err)
	}
	if n := site.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times after expiry, want 2", n)
	}
}

func TestPoliteRobotsStatus(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		wantAllow bool
	}{
		{"404 means no rules", http.StatusNotFound, true},
		{"503 means disallow all", http.StatusServiceUnavailable, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newTestSite(t)
			site.handle("/robots.txt", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(tt.status) })
			site.serve("/jobs", "text/plain", []byte("ok"))
			c, _, _ := newTestCrawler(t, Config{MaxRetries: -1}, nil, Deps{})
			_, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/jobs", AllowPrivate: true})
			if allowed := err == nil; allowed != tt.wantAllow {
				t.Errorf("allowed = %v (err %v), want %v", allowed, err, tt.wantAllow)
			}
		})
	}
}

func TestPoliteRateLimit(t *testing.T) {
	site := newTestSite(t)
	site.serve("/a", "text/plain", []byte("a"))
	c, clk, _ := newTestCrawler(t, Config{DefaultRate: 4}, nil, Deps{})
	ctx := context.Background()
	var starts []time.Time
	for range 4 {
		if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/a", AllowPrivate: true}); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clk.now())
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 250*time.Millisecond || gap > 300*time.Millisecond {
			t.Errorf("gap %d = %s, want 250ms plus at most 10%% jitter", i, gap)
		}
	}
	// A source's own rate overrides the default for its requests.
	before := clk.now()
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/a", AllowPrivate: true, Rate: 0.5}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/a", AllowPrivate: true, Rate: 0.5}); err != nil {
		t.Fatal(err)
	}
	if gap := clk.now().Sub(before); gap < 2*time.Second {
		t.Errorf("two requests at 0.5 req/s took %s, want >= 2s", gap)
	}
}

func TestPoliteRetryAfterAndBackoff(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		header   func(now time.Time) string
		wantWait time.Duration // minimum gap between the two attempts
	}{
		{"429 seconds", http.StatusTooManyRequests, func(time.Time) string { return "30" }, 30 * time.Second},
		{"503 http date", http.StatusServiceUnavailable, func(now time.Time) string { return now.Add(45 * time.Second).UTC().Format(http.TimeFormat) }, 44 * time.Second},
		{"500 backoff", http.StatusInternalServerError, func(time.Time) string { return "" }, 500 * time.Millisecond},
		{"429 small retry-after below backoff", http.StatusTooManyRequests, func(time.Time) string { return "0" }, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newTestSite(t)
			c, clk, _ := newTestCrawler(t, Config{DefaultRate: 100}, nil, Deps{})
			var times []time.Time
			site.handle("/x", func(w http.ResponseWriter, _ *http.Request) {
				times = append(times, clk.now())
				if len(times) == 1 {
					if h := tt.header(clk.now()); h != "" {
						w.Header().Set("Retry-After", h)
					}
					w.WriteHeader(tt.status)
					return
				}
				_, _ = w.Write([]byte("ok"))
			})
			res, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/x", AllowPrivate: true})
			if err != nil || string(res.Body) != "ok" || res.Attempts != 2 {
				t.Fatalf("res %q attempts %d err %v", res.Body, res.Attempts, err)
			}
			if gap := times[1].Sub(times[0]); gap < tt.wantWait {
				t.Errorf("retried after %s, want >= %s", gap, tt.wantWait)
			}
		})
	}
}

func TestPoliteRetriesBounded(t *testing.T) {
	for _, maxRetries := range []int{-1, 1, 3} {
		t.Run(strconv.Itoa(maxRetries), func(t *testing.T) {
			site := newTestSite(t)
			site.handle("/down", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
			c, _, _ := newTestCrawler(t, Config{MaxRetries: maxRetries}, nil, Deps{})
			_, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/down", AllowPrivate: true})
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != http.StatusBadGateway {
				t.Fatalf("err = %v, want HTTPError 502", err)
			}
			if got, want := site.count("/down"), max(maxRetries, 0)+1; got != want {
				t.Errorf("%d requests, want %d", got, want)
			}
		})
	}
}

func TestPoliteLongRetryAfterHoldsHost(t *testing.T) {
	site := newTestSite(t)
	site.handle("/busy", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "7200")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	site.serve("/other", "text/plain", []byte("ok"))
	c, clk, _ := newTestCrawler(t, Config{}, nil, Deps{})
	ctx := context.Background()
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/busy", AllowPrivate: true}); err == nil {
		t.Fatal("no error")
	}
	// The run gave up rather than waiting two hours, and the host stays
	// held off for everyone until then.
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/other", AllowPrivate: true}); !errors.Is(err, ErrHeldOff) {
		t.Errorf("other path on held host: err = %v, want ErrHeldOff", err)
	}
	if n := site.count("/other"); n != 0 {
		t.Errorf("held host received %d requests", n)
	}
	clk.advance(2*time.Hour + time.Second)
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/other", AllowPrivate: true}); err != nil {
		t.Errorf("after Retry-After passed: %v", err)
	}
}

func TestPoliteBackoffBounds(t *testing.T) {
	for attempt := range 12 {
		step := min(politeBackoffBase<<attempt, politeBackoffMax)
		for range 50 {
			d := politeBackoff(attempt)
			if d < step/2 || d > step {
				t.Fatalf("attempt %d: backoff %s outside [%s, %s]", attempt, d, step/2, step)
			}
		}
	}
	if d := politeBackoff(1000); d > politeBackoffMax {
		t.Errorf("huge attempt: %s", d)
	}
}

func TestPoliteRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		v      string
		want   time.Duration
		wantOK bool
	}{
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"Fri, 20 Nov 2026 10:01:30 GMT", 90 * time.Second, true},
		{"Fri, 20 Nov 2026 09:00:00 GMT", 0, true}, // in the past
		{"-3", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"99999999999", 24 * time.Hour, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.v != "" {
			h.Set("Retry-After", tt.v)
		}
		got, ok := politeRetryAfter(h, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Retry-After %q = %s, %v; want %s, %v", tt.v, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestPoliteCircuitBreaker(t *testing.T) {
	site := newTestSite(t)
	healthy := false
	site.handle("/jobs", func(w http.ResponseWriter, _ *http.Request) {
		if !healthy {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(tjBody(t, tjPosting{ID: "1", Title: "Back"}))
	})
	src := localSource("s", "tjson", site.URL+"/jobs")
	src.Terms = jobs.Terms{Attribution: "x"}
	c, clk, pub := newTestCrawler(t, Config{MaxRetries: -1, BreakerThreshold: 3, BreakerCooldown: time.Hour}, []SourceConfig{src}, Deps{})
	ctx := context.Background()
	health := func() string {
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st[0].Health
	}
	wantHealth := []string{HealthDegraded, HealthDegraded, HealthBroken}
	for i, want := range wantHealth {
		if _, err := c.RunSource(ctx, "s"); err == nil {
			t.Fatalf("run %d succeeded against a 500", i)
		}
		if h := health(); h != want {
			t.Errorf("after %d failures health = %s, want %s", i+1, h, want)
		}
	}
	// Open: no request at all.
	if _, err := c.RunSource(ctx, "s"); !errors.Is(err, ErrBreakerOpen) {
		t.Fatalf("err = %v, want ErrBreakerOpen", err)
	}
	if n := site.count("/jobs"); n != 3 {
		t.Errorf("%d requests, want 3 (none while open)", n)
	}
	// Half-open after the cooldown: one trial; it fails and the breaker re-opens.
	clk.advance(time.Hour)
	if _, err := c.RunSource(ctx, "s"); err == nil || errors.Is(err, ErrBreakerOpen) {
		t.Fatalf("trial run err = %v, want the fetch error", err)
	}
	if _, err := c.RunSource(ctx, "s"); !errors.Is(err, ErrBreakerOpen) {
		t.Fatalf("after a failed trial err = %v, want ErrBreakerOpen", err)
	}
	// Next trial succeeds: closed again.
	clk.advance(time.Hour)
	healthy = true
	if _, err := c.RunSource(ctx, "s"); err != nil {
		t.Fatalf("successful trial: %v", err)
	}
	if h := health(); h != HealthOK || len(pub.offers) != 1 {
		t.Errorf("health %s, %d offers; want ok and 1", h, len(pub.offers))
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "Fri, 20 Nov 2026 10:01:30 GMT", "Friday, 20-Nov-26 10:01:30 GMT", "soon", "1e9", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := politeRetryAfter(http.Header{"Retry-After": {v}}, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("Retry-After %q gave %s, %v", v, d, ok)
		}
	})
}
