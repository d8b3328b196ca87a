package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/jobs"
)

// ---- test helpers shared by the crawler runtime tests ----

// siteReq is one request the test site received.
type siteReq struct {
	Path   string
	Query  string
	Header http.Header
}

// testSite is an httptest server on 127.0.0.1 that records every request.
type testSite struct {
	*httptest.Server
	mu          sync.Mutex
	reqs        []siteReq
	routes      map[string]http.HandlerFunc
	inflight    int
	maxInflight int
}

func newTestSite(t testing.TB) *testSite {
	t.Helper()
	s := &testSite{routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, siteReq{Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()})
		h := s.routes[r.URL.Path]
		s.inflight++
		s.maxInflight = max(s.maxInflight, s.inflight)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inflight--
			s.mu.Unlock()
		}()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = h
}

// serve answers path with body and content type.
func (s *testSite) serve(path, contentType string, body []byte) {
	s.handle(path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	})
}

func (s *testSite) requests(path string) []siteReq {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []siteReq
	for _, r := range s.reqs {
		if path == "" || r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func (s *testSite) count(path string) int { return len(s.requests(path)) }

// fakeClock replaces time in the crawler: sleeping advances it at once and
// records what was asked, so politeness delays are checked exactly and fast.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
		c.waits = append(c.waits, d)
	}
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recPublisher records published offers.
type recPublisher struct {
	mu     sync.Mutex
	offers []jobs.Offer
	err    error
}

func (p *recPublisher) PublishOffer(_ context.Context, o jobs.Offer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.offers = append(p.offers, o)
	return nil
}

func (p *recPublisher) ids() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, len(p.offers))
	for i, o := range p.offers {
		out[i] = o.ID
	}
	return out
}

func (p *recPublisher) byID(id string) (jobs.Offer, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, o := range p.offers {
		if o.ID == id {
			return o, true
		}
	}
	return jobs.Offer{}, false
}

// testNormalizer is a minimal stand-in for jobs.Normalizer, so these tests
// check the runtime and not the normalization rules: id from SourceID (or
// the URL's last path segment), fingerprint from title and company.
type testNormalizer struct{}

func (testNormalizer) Normalize(p jobs.Posting) (jobs.Offer, error) {
	if strings.TrimSpace(p.Title) == "" {
		return jobs.Offer{}, errors.New("no title")
	}
	id := p.SourceID
	if id == "" {
		id = p.URL[strings.LastIndexByte(p.URL, '/')+1:]
	}
	desc := p.Description
	if desc == "" {
		desc = p.DescriptionHTML
	}
	return jobs.Offer{
		ID: p.Source + ":" + id, Source: p.Source, URL: p.URL, Title: p.Title, Company: p.Company,
		Description: desc, Terms: p.Terms,
		Fingerprint: strings.ToLower(p.Title + "|" + p.Company),
	}, nil
}

// tjson is a test-only Format: {"postings":[{"id","title","company","url","description"}]}.
var tjsonFormat = Format{
	Name:   "tjson",
	Detect: func(d Document) bool { return bytes.HasPrefix(bytes.TrimSpace(d.Body), []byte(`{"postings"`)) },
	Parse: func(d Document) (ParseResult, error) {
		var in struct {
			Postings []struct {
				ID, Title, Company, URL, Description string
			}
		}
		// A decoder, not Unmarshal: test pages may carry HTML after the JSON.
		if err := json.NewDecoder(bytes.NewReader(d.Body)).Decode(&in); err != nil {
			return ParseResult{}, err
		}
		var pr ParseResult
		for i, p := range in.Postings {
			if p.Title == "" && p.URL == "" {
				pr.Skipped = append(pr.Skipped, Skip{Index: i, Reason: "empty posting"})
				continue
			}
			pr.Postings = append(pr.Postings, jobs.Posting{SourceID: p.ID, Title: p.Title, Company: p.Company, URL: p.URL, Description: p.Description})
		}
		return pr, nil
	},
}

func testFormatByName(name string) (Format, bool) {
	if name == tjsonFormat.Name {
		return tjsonFormat, true
	}
	return FormatByName(name)
}

func testDetectFormat(d Document) (Format, bool) {
	if tjsonFormat.Detect(d) {
		return tjsonFormat, true
	}
	return DetectFormat(d)
}

type tjPosting struct {
	ID          string `json:"id,omitempty"`
	Title       string `json:"title,omitempty"`
	Company     string `json:"company,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
}

func tjBody(t testing.TB, ps ...tjPosting) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"postings": ps})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newTestCrawler builds a crawler with the fake clock, a recording
// publisher, the test normalizer and the test formats.
func newTestCrawler(t testing.TB, cfg Config, srcs []SourceConfig, deps Deps) (*Crawler, *fakeClock, *recPublisher) {
	t.Helper()
	pub, _ := deps.Publisher.(*recPublisher)
	if deps.Publisher == nil {
		pub = &recPublisher{}
		deps.Publisher = pub
	}
	if deps.Normalizer == nil {
		deps.Normalizer = testNormalizer{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c, err := newCrawler(cfg, srcs, deps, testFormatByName, testDetectFormat)
	if err != nil {
		t.Fatalf("newCrawler: %v", err)
	}
	clk := newFakeClock()
	c.now = clk.now
	c.sleep = clk.sleep
	c.limiter = newPoliteLimiter(clk.now)
	return c, clk, pub
}

// localSource is a source on the test site.
func localSource(name, kind, u string) SourceConfig {
	return SourceConfig{Name: name, Kind: kind, URL: u, AllowPrivate: true,
		Terms: jobs.Terms{Attribution: "Test site " + name, EmailAllowed: true}}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "runtime", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// logRecorder captures slog records.
type logRecorder struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r.Clone())
	return nil
}
func (l *logRecorder) WithAttrs(as []slog.Attr) slog.Handler { return &logWith{l: l, attrs: as} }
func (l *logRecorder) WithGroup(string) slog.Handler         { return l }

// find returns the attributes of records with message msg.
func (l *logRecorder) find(msg string) []map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]string
	for _, r := range l.recs {
		if r.Message != msg {
			continue
		}
		m := map[string]string{}
		r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
		out = append(out, m)
	}
	return out
}

type logWith struct {
	l     *logRecorder
	attrs []slog.Attr
}

func (w *logWith) Enabled(context.Context, slog.Level) bool { return true }
func (w *logWith) Handle(ctx context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(w.attrs...)
	return w.l.Handle(ctx, r)
}
func (w *logWith) WithAttrs(as []slog.Attr) slog.Handler {
	return &logWith{l: w.l, attrs: append(append([]slog.Attr(nil), w.attrs...), as...)}
}
func (w *logWith) WithGroup(string) slog.Handler { return w }

// ---- runner tests ----

// TestCrawlerRunRealFormats runs the shipped parsers (JSON-LD page, RSS
// feed) by name and by detection, end to end to the publisher.
func TestCrawlerRunRealFormats(t *testing.T) {
	site := newTestSite(t)
	site.serve("/careers", "text/html; charset=utf-8", readTestdata(t, "jobs.html"))
	site.serve("/feed.rss", "application/rss+xml", readTestdata(t, "feed.rss"))
	tests := []struct {
		kind, path string
		wantTitles []string
	}{
		{"jsonld", "/careers", []string{"Junior Data Analyst", "Machine Learning Intern"}},
		{"auto", "/careers", []string{"Junior Data Analyst", "Machine Learning Intern"}},
		{"feed", "/feed.rss", []string{"Data Engineer at Nador Logistics", "BI Developer at Oujda Retail"}},
		{"auto", "/feed.rss", []string{"Data Engineer at Nador Logistics", "BI Developer at Oujda Retail"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+tt.path, func(t *testing.T) {
			if _, ok := FormatByName(tt.kind); !ok && tt.kind != "auto" {
				t.Fatalf("format %q is not registered", tt.kind)
			}
			src := localSource("site", tt.kind, site.URL+tt.path)
			src.Terms = jobs.Terms{Attribution: "Oriental test site", EmailAllowed: false}
			// The real normalizer: this is the path offers take in production.
			c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{Normalizer: jobs.Normalizer{}})
			rep, err := c.RunSource(context.Background(), "site")
			if err != nil {
				t.Fatalf("RunSource: %v (report %+v)", err, rep)
			}
			if rep.Fetched != 1 || rep.Postings != 2 || rep.Published != 2 {
				t.Fatalf("report = %+v, want 1 fetched, 2 postings, 2 published", rep)
			}
			var titles []string
			for _, o := range pub.offers {
				titles = append(titles, o.Title)
				if err := o.Validate(); err != nil || !strings.HasPrefix(o.ID, "site:") || o.Fingerprint == "" {
					t.Errorf("offer %+v: %v", o, err)
				}
				if o.Source != "site" || o.Terms != src.Terms {
					t.Errorf("offer %s: source %q terms %+v, want site and %+v", o.ID, o.Source, o.Terms, src.Terms)
				}
			}
			if strings.Join(titles, "|") != strings.Join(tt.wantTitles, "|") {
				t.Errorf("titles = %q, want %q", titles, tt.wantTitles)
			}
		})
	}
}

func TestCrawlerConditionalRequests(t *testing.T) {
	site := newTestSite(t)
	body := tjBody(t, tjPosting{ID: "1", Title: "Data Analyst", Company: "A"}, tjPosting{ID: "2", Title: "ML Engineer", Company: "B"})
	site.handle("/jobs", func(w http.ResponseWriter, r *http.Request) {
		const etag = `"v1"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Fri, 20 Nov 2026 08:00:00 GMT")
		_, _ = w.Write(body)
	})
	state := NewMemState()
	c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{localSource("s", "tjson", site.URL+"/jobs")}, Deps{State: state})
	ctx := context.Background()
	rep, err := c.RunSource(ctx, "s")
	if err != nil || rep.Published != 2 || rep.NotModified {
		t.Fatalf("first run: %+v, %v", rep, err)
	}
	st, _ := state.Get(ctx, "s")
	if v := st.Validators[site.URL+"/jobs"]; v.ETag != `"v1"` || v.LastModified != "Fri, 20 Nov 2026 08:00:00 GMT" {
		t.Fatalf("validators = %+v", st.Validators)
	}
	rep, err = c.RunSource(ctx, "s")
	if err != nil || !rep.NotModified || rep.Published != 0 || rep.Fetched != 1 {
		t.Fatalf("second run: %+v, %v; want not modified, nothing published", rep, err)
	}
	if n := len(pub.offers); n != 2 {
		t.Fatalf("published %d offers in total, want 2", n)
	}
	reqs := site.requests("/jobs")
	if got := reqs[1].Header.Get("If-None-Match"); got != `"v1"` {
		t.Errorf("second request If-None-Match = %q", got)
	}
	if got := reqs[1].Header.Get("If-Modified-Since"); got != "Fri, 20 Nov 2026 08:00:00 GMT" {
		t.Errorf("second request If-Modified-Since = %q", got)
	}
	st, _ = state.Get(ctx, "s")
	if st.Validators[site.URL+"/jobs"].ETag != `"v1"` || st.OffersFound != 2 || st.ConsecutiveFailures != 0 {
		t.Errorf("state after 304 = %+v", st)
	}
}

func TestCrawlerDuplicates(t *testing.T) {
	site := newTestSite(t)
	site.serve("/a", "application/json", tjBody(t, tjPosting{ID: "a1", Title: "Data Scientist", Company: "Oujda AI"}))
	site.serve("/b", "application/json", tjBody(t,
		tjPosting{ID: "b7", Title: "Data Scientist", Company: "Oujda AI"},
		tjPosting{ID: "b8", Title: "Data Engineer", Company: "Oujda AI"}))
	c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{
		localSource("a", "tjson", site.URL+"/a"), localSource("b", "tjson", site.URL+"/b"),
	}, Deps{})
	ctx := context.Background()
	if _, err := c.RunSource(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	rep, err := c.RunSource(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Duplicates != 1 || rep.Published != 1 {
		t.Fatalf("source b: %+v, want 1 duplicate and 1 published", rep)
	}
	// The same offer id seen again is published again: JetStream's
	// Nats-Msg-Id dedup and the notifier's ledger deal with it.
	rep, err = c.RunSource(ctx, "a")
	if err != nil || rep.Published != 1 || rep.Duplicates != 0 {
		t.Fatalf("rerun a: %+v, %v", rep, err)
	}
	if got, want := strings.Join(pub.ids(), ","), "a:a1,b:b8,a:a1"; got != want {
		t.Errorf("published %s, want %s", got, want)
	}
}

func TestCrawlerFollowDetail(t *testing.T) {
	site := newTestSite(t)
	detail := func(title, company, desc string) []byte {
		return fmt.Appendf(nil, `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":%q,"description":%q,"hiringOrganization":{"@type":"Organization","name":%q},"datePosted":"2026-11-10"}</script></head><body></body></html>`, title, desc, company)
	}
	site.serve("/jobs/1", "text/html", detail("Detail title ignored", "Rabat Robotics", "Deep learning for robots."))
	site.serve("/jobs/2", "text/html", detail("Second", "Fes Foods", "Forecasting demand."))
	site.serve("/jobs/3", "text/html", detail("Third", "Tanger Tech", "Never fetched: over budget."))
	site.serve("/list", "application/json", tjBody(t,
		tjPosting{ID: "1", Title: "Computer Vision Engineer", URL: "/jobs/1"},
		tjPosting{ID: "2", Title: "Data Analyst", URL: site.URL + "/jobs/2#apply"},
		tjPosting{ID: "x", Title: "Elsewhere", URL: "https://other.example/jobs/9"},
		tjPosting{ID: "3", Title: "MLOps", URL: "/jobs/3"},
	))
	src := localSource("s", "tjson", site.URL+"/list")
	src.FollowDetail = true
	src.MaxDetails = 2
	c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{})
	rep, err := c.RunSource(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Published != 4 || rep.Fetched != 3 {
		t.Fatalf("report %+v, want 4 published, 3 fetched (list + 2 details)", rep)
	}
	if site.count("/jobs/3") != 0 {
		t.Error("detail budget exceeded: /jobs/3 fetched")
	}
	o1, _ := pub.byID("s:1")
	if o1.Title != "Computer Vision Engineer" || o1.Company != "Rabat Robotics" || !strings.Contains(o1.Description, "Deep learning") {
		t.Errorf("merged offer 1 = %+v", o1)
	}
	if o1.URL != site.URL+"/jobs/1" {
		t.Errorf("offer 1 URL = %q, want absolute detail URL", o1.URL)
	}
	o2, _ := pub.byID("s:2")
	if o2.Company != "Fes Foods" {
		t.Errorf("offer 2 company = %q", o2.Company)
	}
	ox, _ := pub.byID("s:x")
	if ox.Company != "" {
		t.Errorf("off-host posting was merged: %+v", ox)
	}
}

func TestCrawlerPagination(t *testing.T) {
	site := newTestSite(t)
	for i := 1; i <= 5; i++ {
		path := fmt.Sprintf("/p%d", i)
		next := fmt.Sprintf("/p%d", i+1)
		switch i {
		case 1: // Link header
			site.handle(path, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Link", fmt.Sprintf(`<https://other.example/x>; rel="next", <%s>; rel="next"`, next))
				_, _ = w.Write(tjBody(t, tjPosting{ID: "1", Title: "Job 1"}))
			})
		case 4: // links to itself: the loop must stop
			site.serve(path, "text/html", []byte(`{"postings":[]}<link rel="next" href="/p4">`))
		default: // rel=next in HTML; a posting list in a page the test format reads
			site.serve(path, "text/html", fmt.Appendf(nil, `{"postings":[{"id":"%d","title":"Job %d"}]}<a rel="next" href="%s">next</a>`, i, i, next))
		}
	}
	tests := []struct {
		name      string
		maxPages  int
		wantPages []string
	}{
		{"bounded", 2, []string{"/p1", "/p2"}},
		{"loop stops", 10, []string{"/p1", "/p2", "/p3", "/p4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site.mu.Lock()
			site.reqs = nil
			site.mu.Unlock()
			src := localSource("s", "auto", site.URL+"/p1")
			src.MaxPages = tt.maxPages
			c, _, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{})
			rep, _ := c.RunSource(context.Background(), "s")
			var got []string
			for _, r := range site.requests("") {
				if r.Path != "/robots.txt" {
					got = append(got, r.Path)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.wantPages, ",") {
				t.Errorf("pages fetched %v, want %v (report %+v)", got, tt.wantPages, rep)
			}
		})
	}
}

func TestCrawlerSkipsAndFailures(t *testing.T) {
	site := newTestSite(t)
	site.serve("/jobs", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Good"}, tjPosting{}, tjPosting{ID: "3", URL: "/no-title"}))
	logs := &logRecorder{}
	c, _, _ := newTestCrawler(t, Config{Logger: slog.New(logs)}, []SourceConfig{localSource("s", "tjson", site.URL+"/jobs")}, Deps{})
	rep, err := c.RunSource(context.Background(), "s")
	if err != nil || rep.Published != 1 || rep.Skipped != 2 || rep.Postings != 2 {
		t.Fatalf("report %+v, %v; want 1 published, 2 skipped (1 parser, 1 normalizer)", rep, err)
	}
	skips := logs.find("crawler: posting skipped")
	if len(skips) != 2 {
		t.Fatalf("skip logs = %v", skips)
	}
	for _, s := range skips {
		if s["source"] != "s" || s["reason"] == "" {
			t.Errorf("skip log without source/reason: %v", s)
		}
	}
}

func TestCrawlerPublisherDown(t *testing.T) {
	site := newTestSite(t)
	site.handle("/jobs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("ETag", `"e"`)
		_, _ = w.Write(tjBody(t, tjPosting{ID: "1", Title: "Job"}))
	})
	state := NewMemState()
	pub := &recPublisher{err: errors.New("nats: no responders")}
	c, _, _ := newTestCrawler(t, Config{}, []SourceConfig{localSource("s", "tjson", site.URL+"/jobs")}, Deps{State: state, Publisher: pub})
	ctx := context.Background()
	if _, err := c.RunSource(ctx, "s"); err == nil || !strings.Contains(err.Error(), "no responders") {
		t.Fatalf("err = %v, want the publisher's error", err)
	}
	st, _ := state.Get(ctx, "s")
	if st.ConsecutiveFailures != 1 || len(st.Validators) != 0 || st.LastError == "" {
		t.Fatalf("state = %+v; validators must not be kept when publishing failed", st)
	}
	// Recovered publisher: no conditional header was sent, the offer comes through.
	pub.mu.Lock()
	pub.err = nil
	pub.mu.Unlock()
	rep, err := c.RunSource(ctx, "s")
	if err != nil || rep.Published != 1 {
		t.Fatalf("after recovery: %+v, %v", rep, err)
	}
	if h := site.requests("/jobs")[1].Header.Get("If-None-Match"); h != "" {
		t.Errorf("If-None-Match %q sent after a failed run", h)
	}
}

func TestCrawlerCancelIsNotAFailure(t *testing.T) {
	site := newTestSite(t)
	site.handle("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	state := NewMemState()
	c, _, _ := newTestCrawler(t, Config{Timeout: time.Minute}, []SourceConfig{localSource("s", "tjson", site.URL+"/hang")}, Deps{State: state})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.RunSource(ctx, "s"); done <- err }()
	waitFor(t, "the request", 10*time.Second, func() bool { return site.count("/hang") == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	st, _ := state.Get(context.Background(), "s")
	if st.ConsecutiveFailures != 0 || st.LastRun.IsZero() {
		t.Errorf("state after shutdown = %+v; want the run recorded, not counted as a failure", st)
	}
}

func TestCrawlerRunAllAndStatus(t *testing.T) {
	site := newTestSite(t)
	site.serve("/ok", "application/json", tjBody(t, tjPosting{ID: "1", Title: "A"}, tjPosting{ID: "2", Title: "B"}))
	off := false
	disabled := localSource("off", "tjson", site.URL+"/ok")
	disabled.Enabled = &off
	c, _, _ := newTestCrawler(t, Config{MaxRetries: -1, BreakerThreshold: 2}, []SourceConfig{
		localSource("ok", "tjson", site.URL+"/ok"), localSource("gone", "tjson", site.URL+"/gone"), disabled,
	}, Deps{})
	ctx := context.Background()
	err := c.RunAll(ctx)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("RunAll error = %v, want the 404 of source gone", err)
	}
	_ = c.RunAll(ctx)
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		health string
		found  int
	}{"ok": {HealthOK, 2}, "gone": {HealthBroken, 0}, "off": {HealthOK, 0}}
	for _, s := range st {
		w := want[s.Name]
		if s.Health != w.health || s.OffersFound != w.found {
			t.Errorf("%s: health %s found %d, want %s %d (%+v)", s.Name, s.Health, s.OffersFound, w.health, w.found, s)
		}
	}
	if _, err := c.RunSource(ctx, "off"); !errors.Is(err, ErrSourceDisabled) {
		t.Errorf("RunSource(off) = %v, want ErrSourceDisabled", err)
	}
	if _, err := c.RunSource(ctx, "nope"); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("RunSource(nope) = %v, want ErrUnknownSource", err)
	}
	if n := site.count("/ok"); n != 2 {
		t.Errorf("/ok fetched %d times, want 2 (disabled source must not run)", n)
	}
}

func TestCrawlerKVStores(t *testing.T) {
	js := natstest.JetStream(t)
	ctx := context.Background()
	stateKV, err := js.KeyValue(ctx, bus.KVCrawlState)
	if err != nil {
		t.Fatal(err)
	}
	fpKV, err := js.KeyValue(ctx, bus.KVOfferFingerprints)
	if err != nil {
		t.Fatal(err)
	}
	stores := []struct {
		name  string
		state StateStore
		fps   FingerprintStore
	}{
		{"memory", NewMemState(), NewMemFingerprints()},
		{"nats-kv", NewKVState(stateKV), NewKVFingerprints(fpKV)},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			got, err := s.state.Get(ctx, "unknown")
			if err != nil || !got.LastRun.IsZero() || got.ConsecutiveFailures != 0 {
				t.Fatalf("unknown source: %+v, %v", got, err)
			}
			want := SourceState{
				Validators:  map[string]Validator{"https://x.test/a?b=1": {ETag: `W/"1"`, LastModified: "Fri, 20 Nov 2026 08:00:00 GMT"}},
				LastRun:     time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC),
				OffersFound: 12, ConsecutiveFailures: 2, LastError: "boom", Errors: []string{"boom"},
			}
			if err := s.state.Put(ctx, "remote-ok_1", want); err != nil {
				t.Fatal(err)
			}
			got, err = s.state.Get(ctx, "remote-ok_1")
			if err != nil {
				t.Fatal(err)
			}
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			if !bytes.Equal(gb, wb) {
				t.Errorf("state round trip:\n got %s\nwant %s", gb, wb)
			}
			// A copy is published when it is the first of its cluster, the
			// recorded one again, or a later one whose source's terms allow
			// more (e-mail, showing behind a sign-in) and nothing less.
			web := Copy{OfferID: "a:1", Signup: true}               // shown on pages only
			mail := Copy{OfferID: "b:7", Email: true, Signup: true} // may be mailed
			claims := []struct {
				fp          string
				c           Copy
				wantRecord  string
				wantOutcome int
			}{
				{"data scientist|oujda ai", web, "a:1", ClaimNew},
				{"data scientist|oujda ai", Copy{OfferID: "z:3"}, "a:1", ClaimDuplicate},              // allows less
				{"data scientist|oujda ai", Copy{OfferID: "y:2", Email: true}, "a:1", ClaimDuplicate}, // e-mail but not pages
				{"data scientist|oujda ai", web, "a:1", ClaimSame},
				{"data scientist|oujda ai", mail, "a:1", ClaimBetter},
				{"data scientist|oujda ai", mail, "b:7", ClaimSame},
				{"data scientist|oujda ai", web, "b:7", ClaimDuplicate}, // the first copy, now outdone
				{"other.with.dots*>", Copy{OfferID: "c:1"}, "c:1", ClaimNew},
			}
			for _, cl := range claims {
				rec, out, err := s.fps.Claim(ctx, cl.fp, cl.c, nil)
				if err != nil || rec.OfferID != cl.wantRecord || out != cl.wantOutcome {
					t.Errorf("Claim(%q, %+v) = %+v, %d, %v; want recorded %q, outcome %d", cl.fp, cl.c, rec, out, err, cl.wantRecord, cl.wantOutcome)
				}
			}
			// A duplicate takes over a cluster whose recorded copy was
			// closed (its board stopped listing the job): the job stays
			// open through the other board.
			closedIDs := map[string]bool{}
			closed := func(id string) bool { return closedIDs[id] }
			a, b := Copy{OfferID: "a:9", Signup: true}, Copy{OfferID: "b:9", Signup: true}
			for i, step := range []struct {
				c           Copy
				close       string
				wantRecord  string
				wantOutcome int
			}{
				{c: a, wantRecord: "a:9", wantOutcome: ClaimNew},
				{c: b, wantRecord: "a:9", wantOutcome: ClaimDuplicate},
				{c: b, close: "a:9", wantRecord: "a:9", wantOutcome: ClaimBetter},
				{c: b, wantRecord: "b:9", wantOutcome: ClaimSame},
				{c: a, wantRecord: "b:9", wantOutcome: ClaimDuplicate}, // a closed copy back: b is open
			} {
				if step.close != "" {
					closedIDs[step.close] = true
				}
				rec, out, err := s.fps.Claim(ctx, "ml engineer|closed cluster", step.c, closed)
				if err != nil || rec.OfferID != step.wantRecord || out != step.wantOutcome {
					t.Errorf("step %d: Claim(%+v) = %+v, %d, %v; want recorded %q, outcome %d", i, step.c, rec, out, err, step.wantRecord, step.wantOutcome)
				}
			}
		})
	}
}

func FuzzLinkHeaderNext(f *testing.F) {
	for _, s := range []string{
		`<https://a.test/p2>; rel="next"`,
		`<https://a.test/p1>; rel="prev", <https://a.test/p3>; rel="next last"`,
		`<>; rel=next`, `<a;b>; rel=next`, `garbage`, `<x>; rel`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, u := range linkHeaderNext(v) {
			if !strings.Contains(v, u) {
				t.Fatalf("target %q not in header %q", u, v)
			}
		}
	})
}

func FuzzNextPage(f *testing.F) {
	f.Add("text/html", `<a rel="next" href="/p2">next</a>`, "", `<https://a.test/p3>; rel="next"`)
	f.Add("application/atom+xml", `<feed><link rel="next" href="https://a.test/p2"/></feed>`, "", "")
	f.Add("text/html", `<div class="more"><a href="?page=2">more</a></div>`, "div.more a", "")
	f.Add("text/html", `<a rel="next" href="javascript:alert(1)">x</a>`, "a[", "")
	f.Fuzz(func(t *testing.T, ct, body, sel, link string) {
		base, _ := url.Parse("https://a.test/p1")
		res := fetchResult{URL: "https://a.test/p1", Header: http.Header{"Content-Type": {ct}, "Link": {link}}, Body: []byte(body)}
		sc := SourceConfig{Options: map[string]string{"next": sel}}
		next := nextPage(res, sc, base, "")
		if next == "" {
			return
		}
		u, err := url.Parse(next)
		if err != nil || u.Host != "a.test" || (u.Scheme != "http" && u.Scheme != "https") || next == res.URL {
			t.Fatalf("next page %q is not another http(s) page of a.test", next)
		}
	})
}
