package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// The "terms" object of a source carries every rule an owner sets; the
// two the crawler obeys itself are durations, and all survive a round trip.
func TestSourceTermsJSON(t *testing.T) {
	in := `{"sources":[{"name":"jobicy-x","kind":"jobicy","url":"https://jobicy.com/api/v2/remote-jobs",
	  "terms":{"attribution":"Jobicy","attribution_url":"https://jobicy.com","email_allowed":true,
	           "apply_via_listing":true,"show_behind_signup":true,"min_poll_interval":"1h","publication_delay":"3h"}}]}`
	srcs, err := parseSources([]byte(in), knownKind)
	if err != nil {
		t.Fatal(err)
	}
	s := srcs[0]
	want := jobs.Terms{Attribution: "Jobicy", AttributionURL: "https://jobicy.com", EmailAllowed: true, ApplyViaListing: true, ShowBehindSignup: true}
	if s.Terms != want || s.MinPollInterval != time.Hour || s.PublicationDelay != 3*time.Hour {
		t.Fatalf("parsed %+v, min %s, delay %s", s.Terms, s.MinPollInterval, s.PublicationDelay)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back SourceConfig
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	if back.Terms != s.Terms || back.MinPollInterval != s.MinPollInterval || back.PublicationDelay != s.PublicationDelay {
		t.Errorf("round trip lost terms: %s", b)
	}
	for _, bad := range []struct{ json, field string }{
		{`"min_poll_interval":"-1h"`, "min_poll_interval"},
		{`"publication_delay":"soon"`, "publication_delay"},
		{`"min_poll_interval":"2000h"`, "min_poll_interval"},
		{`"attribution_url":"javascript:alert(1)"`, "attribution_url"},
		{`"logo":"x.png"`, "logo"},
	} {
		j := `{"sources":[{"name":"x","kind":"jobicy","url":"https://jobicy.com/api","terms":{"attribution":"Jobicy",` + bad.json + `}}]}`
		if _, err := parseSources([]byte(j), knownKind); err == nil || !strings.Contains(err.Error(), bad.field) {
			t.Errorf("%s: error %v, want one naming %s", bad.json, err, bad.field)
		}
	}
}

// Every offer carries its source's terms, whatever the normalizer did, and
// where the owner requires it (Jobicy) the apply link is the listing on the
// board, the employer's own link kept in raw.
func TestTermsOnEveryOfferAndApplyViaListing(t *testing.T) {
	site := newTestSite(t)
	site.handle("/feed", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Board</title>
<item><title>Data Analyst</title><link>%[1]s/jobs/1</link><applyurl>https://employer.example/apply/1</applyurl><guid>1</guid><description>SQL</description></item>
<item><title>ML Engineer</title><link>%[1]s/jobs/2</link><guid>2</guid><description>Python</description></item>
</channel></rss>`, site.URL)
	})
	for _, viaListing := range []bool{true, false} {
		t.Run(fmt.Sprint("apply_via_listing=", viaListing), func(t *testing.T) {
			src := localSource("board", "feed", site.URL+"/feed")
			src.Terms = jobs.Terms{Attribution: "Board", AttributionURL: "https://board.example", EmailAllowed: true,
				ApplyViaListing: viaListing, ShowBehindSignup: true}
			c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{Normalizer: termsDroppingNormalizer{jobs.Normalizer{}}})
			if _, err := c.RunSource(context.Background(), "board"); err != nil {
				t.Fatal(err)
			}
			if len(pub.offers) != 2 {
				t.Fatalf("%d offers", len(pub.offers))
			}
			for _, o := range pub.offers {
				if o.Terms != src.Terms {
					t.Errorf("%s: terms %+v, want the source's %+v", o.ID, o.Terms, src.Terms)
				}
			}
			o1, _ := pub.byID("board:1")
			if viaListing {
				if o1.ApplyURL != o1.URL || o1.URL != site.URL+"/jobs/1" || o1.Raw["employer_apply_url"] != "https://employer.example/apply/1" {
					t.Errorf("apply via listing: url %q apply %q raw %v", o1.URL, o1.ApplyURL, o1.Raw)
				}
				o2, _ := pub.byID("board:2")
				if o2.ApplyURL != o2.URL {
					t.Errorf("offer without an apply link: apply %q, want the listing %q", o2.ApplyURL, o2.URL)
				}
			} else if o1.ApplyURL != "https://employer.example/apply/1" {
				t.Errorf("apply link %q, want the employer's", o1.ApplyURL)
			}
		})
	}
}

// termsDroppingNormalizer loses the terms, as a buggy normalizer could: the
// crawler must put them back.
type termsDroppingNormalizer struct{ n jobs.Normalizer }

func (d termsDroppingNormalizer) Normalize(p jobs.Posting) (jobs.Offer, error) {
	o, err := d.n.Normalize(p)
	o.Terms = jobs.Terms{}
	return o, err
}

// The owner's minimum poll interval holds whoever asks for a run: the cron
// schedule, a direct RunSource (start-up crawl, crawl job from another
// process, "crawl now") or RunAll; a check counts as a poll.
func TestMinPollIntervalNeverShorter(t *testing.T) {
	site := newTestSite(t)
	site.serve("/api", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Data Engineer"}))
	src := localSource("himalayas-ma", "tjson", site.URL+"/api")
	src.Schedule = "@every 1m" // a careless schedule
	src.MinPollInterval = 24 * time.Hour
	c, clk, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{})
	ctx := context.Background()

	// The cron schedule itself is capped.
	sched, _ := cronParser.Parse(src.Schedule)
	capped := schedCapped{inner: sched, min: src.MinInterval()}
	prev := capped.Next(clk.now())
	for range 3 {
		next := capped.Next(prev)
		if gap := next.Sub(prev); gap < 24*time.Hour {
			t.Fatalf("scheduled runs %s apart, want >= 24h", gap)
		}
		prev = next
	}

	if _, err := c.RunSource(ctx, "himalayas-ma"); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Hour)
	if _, err := c.RunSource(ctx, "himalayas-ma"); !errors.Is(err, ErrTooSoon) {
		t.Fatalf("second run an hour later: %v, want ErrTooSoon", err)
	}
	if err := c.RunAll(ctx); err != nil {
		t.Fatalf("RunAll within the interval: %v, want the source skipped without an error", err)
	}
	c.schedRun(ctx, "himalayas-ma", true)
	if n := site.count("/api"); n != 1 {
		t.Fatalf("%d requests within 24h, want 1", n)
	}
	st, _ := c.Status(ctx)
	if st[0].MinPollInterval != "24h" || st[0].Health != HealthOK {
		t.Errorf("status %+v: want the interval shown and the skipped runs not counted as failures", st[0])
	}
	clk.advance(23 * time.Hour)
	if _, err := c.RunSource(ctx, "himalayas-ma"); err != nil {
		t.Fatalf("run after 24h: %v", err)
	}
	if n := site.count("/api"); n != 2 {
		t.Errorf("%d requests after 24h, want 2", n)
	}
}

// An offer is not published before posted_at + the source's publication
// delay; a later run publishes it even if the listing answers 304 or no
// longer shows it. Without a posting date, the delay counts from the first
// sighting. Nothing is lost across runs.
func TestPublicationDelayHoldsThenPublishes(t *testing.T) {
	site := newTestSite(t)
	c0 := newFakeClock()
	posted := func(d time.Duration) string { return c0.now().Add(-d).UTC().Format(time.RFC3339) }
	page := func(items ...string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>` + strings.Join(items, "") + `</channel></rss>`)
	}
	item := func(id, title, pub string) string {
		p := ""
		if pub != "" {
			p = "<pubDate>" + pub + "</pubDate>"
		}
		return fmt.Sprintf(`<item><title>%s</title><link>https://board.example/jobs/%s</link><guid>%s</guid><description>SQL</description>%s</item>`, title, id, id, p)
	}
	body := page(item("old", "Data Analyst", posted(5*time.Hour)), item("new", "ML Engineer", posted(time.Hour)), item("nodate", "BI Developer", ""))
	etag := `"v1"`
	site.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	})
	src := localSource("board", "feed", site.URL+"/feed")
	src.PublicationDelay = 3 * time.Hour
	state := NewMemState()
	c, clk, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{State: state, Normalizer: jobs.Normalizer{Now: c0.now}})
	ctx := context.Background()

	rep, err := c.RunSource(ctx, "board")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pub.ids(), ","); got != "board:old" || rep.Held != 2 {
		t.Fatalf("first run published %q, held %d; want only the 5h-old offer, 2 held", got, rep.Held)
	}
	if st, _ := c.Status(ctx); st[0].Held != 2 || st[0].PublicationDelay != "3h" {
		t.Errorf("status %+v, want 2 held and the delay shown", st[0])
	}

	// 1h later the listing is unchanged (304): nothing is due yet.
	clk.advance(time.Hour)
	if _, err := c.RunSource(ctx, "board"); err != nil {
		t.Fatal(err)
	}
	if n := len(pub.offers); n != 1 {
		t.Fatalf("%d offers after 1h, want 1", n)
	}
	// 1h10 later (posted 3h10 ago): the dated one is due, though the
	// listing answers 304; the undated one (first seen 2h10 ago) is not.
	clk.advance(time.Hour + 10*time.Minute)
	if _, err := c.RunSource(ctx, "board"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pub.ids(), ","); got != "board:old,board:new" {
		t.Fatalf("published %q after 3h10, want old then new", got)
	}
	body = page(item("old", "Data Analyst", posted(5*time.Hour)))
	etag = `"v2"`
	// The undated one was first seen at the first run: due 3h after it,
	// and published though the listing no longer shows it.
	clk.advance(time.Hour)
	rep, err = c.RunSource(ctx, "board")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pub.ids(), ","); got != "board:old,board:new,board:nodate,board:old" {
		t.Fatalf("published %q, want the undated offer published though the listing no longer shows it", got)
	}
	st, _ := state.Get(ctx, "board")
	if len(st.Held) != 0 || rep.Held != 0 {
		t.Errorf("still held: %+v", st.Held)
	}
	o, _ := pub.byID("board:nodate")
	if o.Terms != src.Terms || o.Title != "BI Developer" {
		t.Errorf("held offer published as %+v", o)
	}
}

// A publisher failure while publishing held offers keeps them held.
func TestPublicationDelayPublisherDown(t *testing.T) {
	site := newTestSite(t)
	site.serve("/jobs", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Data Analyst"}))
	src := localSource("s", "tjson", site.URL+"/jobs")
	src.PublicationDelay = time.Hour
	state := NewMemState()
	pub := &recPublisher{}
	c, clk, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{State: state, Publisher: pub})
	ctx := context.Background()
	if _, err := c.RunSource(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	clk.advance(2 * time.Hour)
	pub.mu.Lock()
	pub.err = errors.New("nats: no responders")
	pub.mu.Unlock()
	if _, err := c.RunSource(ctx, "s"); err == nil {
		t.Fatal("run with the publisher down succeeded")
	}
	if st, _ := state.Get(ctx, "s"); len(st.Held) != 1 {
		t.Fatalf("held after a failed publish: %d, want 1", len(st.Held))
	}
	pub.mu.Lock()
	pub.err = nil
	pub.mu.Unlock()
	if _, err := c.RunSource(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	if len(pub.ids()) != 1 {
		t.Errorf("published %v after recovery, want s:1 once", pub.ids())
	}
}
