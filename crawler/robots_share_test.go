package crawler

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/temoto/robotstxt"
)

// Two sources on one host share one robots.txt fetch, even when they run
// at the same time (RunAll runs sources in parallel); the cache expires.
func TestPoliteRobotsSharedAcrossSources(t *testing.T) {
	site := newTestSite(t)
	site.handle("/robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		// Slow enough that the second source asks while the first waits.
		time.Sleep(200 * time.Millisecond)
		_, _ = w.Write([]byte("User-agent: *\nCrawl-delay: 2\nDisallow: /private/\n"))
	})
	site.serve("/one", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Data Analyst", Company: "A"}))
	site.serve("/two", "application/json", tjBody(t, tjPosting{ID: "2", Title: "ML Engineer", Company: "B"}))
	site.serve("/three", "application/json", tjBody(t, tjPosting{ID: "3", Title: "BI Developer", Company: "C"}))
	c, clk, pub := newTestCrawler(t, Config{}, []SourceConfig{
		localSource("one", "tjson", site.URL+"/one"),
		localSource("two", "tjson", site.URL+"/two"),
		localSource("three", "tjson", site.URL+"/three"),
	}, Deps{})
	ctx := context.Background()
	if err := c.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := site.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times for three sources on one host, want 1", n)
	}
	if n := len(pub.offers); n != 3 {
		t.Errorf("%d offers published, want 3", n)
	}
	// Within the TTL nothing is fetched again; after it, once.
	clk.advance(time.Hour)
	if err := c.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := site.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times within its TTL, want 1", n)
	}
	clk.advance(25 * time.Hour)
	if err := c.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := site.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times after its TTL, want 2", n)
	}
}

// A robots.txt fetch that fails is not cached and does not block the
// waiting sources forever: each run sees the error and the next one asks
// again.
func TestPoliteRobotsFailureNotCached(t *testing.T) {
	c, _, _ := newTestCrawler(t, Config{}, nil, Deps{})
	var calls atomic.Int32
	fail := func() (err error) {
		_, err = c.robots.do(context.Background(), "https://x.test", c.now, func() (_ *robotstxt.RobotsData, _ time.Duration, err error) {
			calls.Add(1)
			return nil, 0, context.DeadlineExceeded
		})
		return err
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = fail() }()
	}
	wg.Wait()
	if err := fail(); err == nil {
		t.Fatal("a failed robots.txt fetch was cached as a success")
	}
	if n := calls.Load(); n < 2 {
		t.Errorf("%d fetches, want the failure retried by a later caller", n)
	}
}

// The first page after robots.txt waits the host's Crawl-delay from the
// robots.txt request, not only the per-host rate.
func TestPoliteFirstPageSpacedByCrawlDelay(t *testing.T) {
	var clock atomic.Pointer[fakeClock]
	var mu sync.Mutex
	at := map[string]time.Time{}
	site := newTestSite(t)
	record := func(path string, body string) {
		site.handle(path, func(w http.ResponseWriter, _ *http.Request) {
			mu.Lock()
			at[path] = clock.Load().now()
			mu.Unlock()
			_, _ = w.Write([]byte(body))
		})
	}
	record("/robots.txt", "User-agent: *\nCrawl-delay: 5\n")
	record("/jobs", string(tjBody(t, tjPosting{ID: "1", Title: "Data Analyst"})))
	c, clk, _ := newTestCrawler(t, Config{DefaultRate: 1}, []SourceConfig{localSource("s", "tjson", site.URL+"/jobs")}, Deps{})
	clock.Store(clk)
	if _, err := c.RunSource(context.Background(), "s"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if gap := at["/jobs"].Sub(at["/robots.txt"]); gap < 5*time.Second {
		t.Errorf("first page %s after robots.txt, want at least its Crawl-delay of 5s", gap)
	}
}
