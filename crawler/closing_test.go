package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// recCloser records the offers the crawler closed; fail makes the next
// closes fail.
type recCloser struct {
	mu     sync.Mutex
	closed []string
	fail   bool
}

func (c *recCloser) CloseOffer(_ context.Context, id, source string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail {
		return errors.New("bus down")
	}
	c.closed = append(c.closed, source+"|"+id)
	return nil
}

func (c *recCloser) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.closed)
}

// TestOffersNotSeenAgainAreClosed: an offer missing from its source's
// listing for CloseAfter is closed, once; one missing for less is not;
// an offer that comes back is seen again; a listing answered 304 counts
// as showing everything; an empty or partly read listing closes nothing;
// a failed close is tried again on the next run.
func TestOffersNotSeenAgainAreClosed(t *testing.T) {
	site := newTestSite(t)
	var mu sync.Mutex
	var listing []tjPosting
	notModified, broken := false, false
	site.handle("/jobs", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if notModified && r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"v1"`)
		if broken {
			// A second page that fails: the listing is read in part.
			w.Header().Set("Link", `</jobs2>; rel="next"`)
		}
		_, _ = w.Write(tjBody(t, listing...))
	})
	set := func(ps ...tjPosting) {
		mu.Lock()
		listing = ps
		mu.Unlock()
	}
	p := func(id string) tjPosting {
		return tjPosting{ID: id, Title: "Data analyst " + id, Company: "Co " + id, URL: site.URL + "/j/" + id}
	}
	closer := &recCloser{}
	src := localSource("board", "tjson", site.URL+"/jobs")
	src.MaxPages = 3
	st := NewMemState()
	c, clk, _ := newTestCrawler(t, Config{CloseAfter: 14 * 24 * time.Hour}, []SourceConfig{src}, Deps{Closer: closer, State: st})
	ctx := context.Background()
	run := func(what string) RunReport {
		t.Helper()
		rep, err := c.RunSource(ctx, "board")
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return rep
	}
	day := 24 * time.Hour

	set(p("a"), p("b"), p("c"))
	run("day 0")
	clk.advance(10 * day)
	set(p("a"), p("b"))
	if rep := run("day 10"); rep.Closed != 0 || len(closer.list()) != 0 {
		t.Fatalf("day 10: closed %v, missing for 10 days only", closer.list())
	}
	clk.advance(5 * day)
	if rep := run("day 15"); rep.Closed != 1 {
		t.Fatalf("day 15: report closed %d", rep.Closed)
	}
	if got := closer.list(); !slices.Equal(got, []string{"board|board:c"}) {
		t.Fatalf("day 15: closed %v, want board:c", got)
	}
	if s, _ := st.Get(ctx, "board"); len(s.Seen) != 2 {
		t.Errorf("seen after closing: %v", s.Seen)
	}

	// 304 for 20 days: the listing still shows a and b.
	mu.Lock()
	notModified = true
	mu.Unlock()
	clk.advance(20 * day)
	if rep := run("day 35 (304)"); !rep.NotModified || rep.Closed != 0 {
		t.Fatalf("304: %+v", rep)
	}
	mu.Lock()
	notModified = false
	mu.Unlock()

	// An empty listing (a page whose layout changed) closes nothing.
	clk.advance(20 * day)
	set()
	run("day 55 (empty)")
	if got := closer.list(); len(got) != 1 {
		t.Fatalf("an empty listing closed %v", got)
	}
	// A listing read in part closes nothing either.
	mu.Lock()
	broken = true
	mu.Unlock()
	set(p("a"))
	run("day 55 (partial)")
	if got := closer.list(); len(got) != 1 {
		t.Fatalf("a partial listing closed %v", got)
	}
	mu.Lock()
	broken = false
	mu.Unlock()

	// b has been missing since day 35 (20 days): its close fails, then
	// succeeds next run; a, seen again, stays open.
	closer.mu.Lock()
	closer.fail = true
	closer.mu.Unlock()
	if rep := run("day 55 (close fails)"); rep.Closed != 0 {
		t.Fatalf("closed %d while the closer fails", rep.Closed)
	}
	closer.mu.Lock()
	closer.fail = false
	closer.mu.Unlock()
	clk.advance(time.Hour)
	run("day 55 + 1h")
	if got := closer.list(); !slices.Equal(got, []string{"board|board:c", "board|board:b"}) {
		t.Fatalf("after the retry: closed %v", got)
	}
	run("again")
	if got := closer.list(); len(got) != 2 {
		t.Fatalf("closed twice: %v", got)
	}
}

// TestNoCloserKeepsNoSeen: without a Closer the state stays as it was.
func TestNoCloserKeepsNoSeen(t *testing.T) {
	site := newTestSite(t)
	site.serve("/jobs", "application/json", tjBody(t, tjPosting{ID: "1", Title: "T", URL: site.URL + "/j/1"}))
	st := NewMemState()
	c, _, _ := newTestCrawler(t, Config{}, []SourceConfig{localSource("s", "tjson", site.URL+"/jobs")}, Deps{State: st})
	if _, err := c.RunSource(context.Background(), "s"); err != nil {
		t.Fatal(err)
	}
	if s, _ := st.Get(context.Background(), "s"); s.Seen != nil {
		t.Errorf("seen kept without a closer: %v", s.Seen)
	}
}

// TestUnchangedDetailCountsAsSeen: a posting whose detail page answers
// 304 is still in the listing: it stays open, even when the listing
// gives no title of its own (its id is still derived, so the run is not
// taken as partial and a posting the listing dropped is closed).
func TestUnchangedDetailCountsAsSeen(t *testing.T) {
	site := newTestSite(t)
	detail := func(title string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"d"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"d"`)
			w.Header().Set("Content-Type", "text/html")
			_, _ = fmt.Fprintf(w, `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":%q,"description":"Data work.","hiringOrganization":{"@type":"Organization","name":"Co"},"datePosted":"2026-11-10"}</script></head></html>`, title)
		}
	}
	site.handle("/jobs/1", detail("Data analyst"))
	site.handle("/jobs/2", detail("ML engineer"))
	site.handle("/jobs/3", detail("BI developer"))
	var mu sync.Mutex
	third := true
	site.handle("/list", func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		ps := []tjPosting{
			{ID: "1", Title: "Data analyst", URL: "/jobs/1"},
			{ID: "2", URL: "/jobs/2"}, // its title is only on its page
		}
		if third {
			ps = append(ps, tjPosting{ID: "3", Title: "BI developer", URL: "/jobs/3"})
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(tjBody(t, ps...))
	})
	src := localSource("s", "tjson", site.URL+"/list")
	src.FollowDetail = true
	closer := &recCloser{}
	c, clk, pub := newTestCrawler(t, Config{CloseAfter: 14 * 24 * time.Hour}, []SourceConfig{src}, Deps{Closer: closer})
	ctx := context.Background()
	if rep, err := c.RunSource(ctx, "s"); err != nil || rep.Published != 3 {
		t.Fatalf("first run: %+v %v (published %v)", rep, err, pub.ids())
	}
	clk.advance(20 * 24 * time.Hour)
	rep, err := c.RunSource(ctx, "s")
	if err != nil || rep.Published != 0 || rep.Skipped != 3 {
		t.Fatalf("second run: %+v %v (want every detail unchanged)", rep, err)
	}
	if got := closer.list(); len(got) != 0 {
		t.Fatalf("offers with unchanged detail pages closed: %v", got)
	}
	mu.Lock()
	third = false
	mu.Unlock()
	clk.advance(20 * 24 * time.Hour)
	if _, err := c.RunSource(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	if got := closer.list(); !slices.Equal(got, []string{"s|s:3"}) {
		t.Fatalf("closed %v, want s:3 only", got)
	}
}
