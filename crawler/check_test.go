package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/clock"
	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/jobs"
)

// checkPage is a careers page with two JSON-LD postings: one in Oujda, one
// on site in Paris.
const checkPage = `<html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data Analyst junior","identifier":"c1",
 "hiringOrganization":{"@type":"Organization","name":"Oriental Data Lab"},
 "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Oujda","addressCountry":"MA"}},"description":"SQL"}</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data Engineer","identifier":"c2",
 "hiringOrganization":{"@type":"Organization","name":"Oriental Data Lab"},
 "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Paris","addressCountry":"FR"}},"description":"Spark"}</script>
</head><body></body></html>`

// A check against local servers whose robots.txt allows everything,
// disallows everything, answers 500 or is garbage: allowed or not for our
// User-Agent, the page's status, postings read and open to Morocco.
func TestCheckRobotsVariants(t *testing.T) {
	tests := []struct {
		name        string
		robots      func(w http.ResponseWriter)
		wantAllowed bool
		wantStatus  int
		wantNote    string
	}{
		{"allow all", func(w http.ResponseWriter) { fmt.Fprint(w, "User-agent: *\nDisallow:\n") }, true, 200, ""},
		{"disallow all", func(w http.ResponseWriter) { fmt.Fprint(w, "User-agent: *\nDisallow: /\n") }, false, 0, ""},
		{"broken: HTTP 500", func(w http.ResponseWriter) { http.Error(w, "oops", http.StatusInternalServerError) }, false, 0, "RFC 9309"},
		{"missing: HTTP 404", func(w http.ResponseWriter) { http.NotFound(w, nil) }, true, 200, "no robots.txt"},
		{"garbage", func(w http.ResponseWriter) { _, _ = w.Write([]byte("\x00\xff<html>{{{ Disallow /x\n\n\x01")) }, true, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newTestSite(t)
			site.handle("/robots.txt", func(w http.ResponseWriter, _ *http.Request) { tt.robots(w) })
			site.serve("/careers", "text/html; charset=utf-8", []byte(checkPage))
			src := localSource("partner", "auto", site.URL+"/careers")
			off := false
			src.Enabled = &off // a check works on disabled sources: that is its use
			c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{Normalizer: jobs.Normalizer{}})
			rep, err := c.Check(context.Background(), "partner", CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Allowed != tt.wantAllowed || rep.Status != tt.wantStatus || !strings.Contains(rep.RobotsNote, tt.wantNote) {
				t.Fatalf("report %+v: want allowed %v, status %d, note ~%q", rep, tt.wantAllowed, tt.wantStatus, tt.wantNote)
			}
			if rep.RobotsURL != site.URL+"/robots.txt" || site.count("/robots.txt") != 1 {
				t.Errorf("robots %q fetched %d times", rep.RobotsURL, site.count("/robots.txt"))
			}
			if !tt.wantAllowed {
				if site.count("/careers") != 0 || rep.OK || len(rep.Problems) == 0 || !slices.Contains(rep.Codes, ProblemRobotsDisallowed) {
					t.Errorf("disallowed: page fetched %d times, ok %v, problems %v", site.count("/careers"), rep.OK, rep.Problems)
				}
				return
			}
			if !rep.OK || rep.Kind != "jsonld" || rep.Postings != 2 || rep.Offers != 2 || rep.OpenToMorocco != 1 || len(rep.Sample) != 2 {
				t.Errorf("report %+v: want jsonld detected, 2 postings, 1 open to Morocco", rep)
			}
			if len(pub.offers) != 0 {
				t.Errorf("a check published %d offers", len(pub.offers))
			}
			keys := map[string]string{}
			for _, it := range rep.Checklist {
				keys[it.Key] = it.Value
			}
			if keys["attribution"] != src.Terms.Attribution || keys["email_allowed"] != "yes" || keys["min_poll_interval"] != "none" {
				t.Errorf("checklist %v", rep.Checklist)
			}
		})
	}
}

// A check within the owner's minimum poll interval reads robots.txt only
// (unless forced), and a check that read the page counts like a run.
func TestCheckRespectsMinPollInterval(t *testing.T) {
	site := newTestSite(t)
	site.serve("/api", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Data Engineer"}))
	src := localSource("himalayas", "tjson", site.URL+"/api")
	src.MinPollInterval = 24 * time.Hour
	c, clk, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{})
	ctx := context.Background()
	rep, err := c.Check(ctx, "himalayas", CheckOptions{})
	if err != nil || !rep.OK || site.count("/api") != 1 {
		t.Fatalf("first check: %+v, %v", rep, err)
	}
	clk.advance(time.Hour)
	if _, err := c.RunSource(ctx, "himalayas"); !errors.Is(err, ErrTooSoon) {
		t.Fatalf("run an hour after a check: %v, want ErrTooSoon", err)
	}
	rep, _ = c.Check(ctx, "himalayas", CheckOptions{})
	if site.count("/api") != 1 || rep.OK || !rep.Allowed || !strings.Contains(strings.Join(rep.Problems, " "), "24h") {
		t.Errorf("check within the interval fetched the page (%d) or said nothing: %+v", site.count("/api"), rep)
	}
	if rep, _ = c.Check(ctx, "himalayas", CheckOptions{Force: true}); !rep.OK || site.count("/api") != 2 {
		t.Errorf("forced check: %+v", rep)
	}
}

// listenOn serves h on a loopback address other than 127.0.0.1 (127/8 is
// all loopback on Linux); the test is skipped where it cannot bind.
func listenOn(t *testing.T, addr string, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// registryOnNATS is a sources registry on a real embedded NATS server.
func registryOnNATS(t *testing.T) Registry {
	t.Helper()
	js := natstest.JetStream(t)
	kv, err := js.KeyValue(context.Background(), bus.KVSources)
	if err != nil {
		t.Fatal(err)
	}
	return NewKVRegistry(kv)
}

// An officer's source is refused for a private address (no request
// reaches it) and accepted for a good page: the dry run shows what would
// be read, adding records it in the registry with who and when, and a
// crawler of another process picks it up and crawls it without a restart.
func TestAddSourcePrivateRefusedGoodAccepted(t *testing.T) {
	reg := registryOnNATS(t)
	// Only 127.0.0.1 may be reached: the stand-in for "the public web"
	// here; every other non-public address stays refused.
	cfg := Config{PrivateAllowlist: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, Logger: slog.New(slog.DiscardHandler)}
	officers, err := New(cfg, nil, Deps{Publisher: &recPublisher{}, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var hits atomic.Int32
	private := listenOn(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(checkPage))
	}))
	for _, u := range []string{private + "/careers", "http://10.20.30.40/careers", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/x"} {
		rep, err := officers.AddSource(ctx, AddRequest{URL: u, By: "Salma (EST Oujda)"})
		if !errors.Is(err, ErrCheckFailed) || !strings.Contains(strings.Join(rep.Problems, " "), "private address") || !slices.Contains(rep.Codes, ProblemPrivateAddress) {
			t.Errorf("%s: %v %+v, want refused for a private address", u, err, rep)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the private server received %d requests", n)
	}
	if recs, _ := reg.List(ctx); len(recs) != 0 {
		t.Fatalf("refused sources recorded: %+v", recs)
	}

	site := newTestSite(t)
	site.serve("/careers", "text/html", []byte(checkPage))
	req := AddRequest{URL: site.URL + "/careers", Name: "oriental-data-lab", By: "Salma (EST Oujda)", DryRun: true}
	rep, err := officers.AddSource(ctx, req)
	if err != nil || !rep.OK || rep.Kind != "jsonld" || len(rep.Sample) != 2 || rep.OpenToMorocco != 1 {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	if recs, _ := reg.List(ctx); len(recs) != 0 {
		t.Fatalf("a dry run recorded %+v", recs)
	}

	// Another process's crawler, following the registry.
	pub := &recPublisher{}
	worker, err := newCrawler(Config{PrivateAllowlist: cfg.PrivateAllowlist, Logger: slog.New(slog.DiscardHandler)}, nil,
		Deps{Publisher: pub, Registry: reg, Normalizer: jobs.Normalizer{}}, FormatByName, DetectFormat)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- worker.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })

	req.DryRun = false
	if _, err := officers.AddSource(ctx, req); err != nil {
		t.Fatalf("add: %v", err)
	}
	rec, ok, err := reg.Get(ctx, "oriental-data-lab")
	if err != nil || !ok || rec.AddedBy != "Salma (EST Oujda)" || rec.AddedAt.IsZero() || rec.Enabled == nil || !*rec.Enabled {
		t.Fatalf("record %+v, %v", rec, err)
	}
	if a := rec.Added; a.Kind != "jsonld" || a.AllowPrivate || a.MinPollInterval < time.Hour || a.Terms.Attribution != "Oriental Data Lab" || a.Terms.EmailAllowed {
		t.Errorf("added config %+v", a)
	}
	if _, err := officers.AddSource(ctx, req); !errors.Is(err, ErrNameTaken) {
		t.Errorf("adding the same name again: %v, want ErrNameTaken", err)
	}
	// The worker schedules it (every 12h) without a restart, and runs it
	// once right away.
	waitFor(t, "the worker to crawl the added source", 15*time.Second, func() bool { return len(pub.ids()) == 2 })
	st, _ := worker.Status(ctx)
	if len(st) != 1 || st[0].Origin != OriginAdded || st[0].AddedBy != "Salma (EST Oujda)" || !st[0].Enabled {
		t.Errorf("status %+v", st)
	}
}

// Enabling a disabled source records who and when, and a running crawler
// (here: another process on the same registry) starts crawling it without
// a restart; disabling it stops that.
func TestSetEnabledWithoutRestart(t *testing.T) {
	reg := registryOnNATS(t)
	site := newTestSite(t)
	site.serve("/jobs", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Data Analyst"}))
	src := localSource("himalayas-ma", "tjson", site.URL+"/jobs")
	src.Schedule = "@every 1s"
	off := false
	src.Enabled = &off
	logs := &logRecorder{}
	running, _, _ := newTestCrawler(t, Config{Logger: slog.New(logs)}, []SourceConfig{src}, Deps{Registry: reg})
	running.now, running.sleep, running.limiter = time.Now, clock.Sleep, newPoliteLimiter(time.Now)
	cli, _, _ := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{Registry: reg})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- running.Run(ctx) }()
	defer func() { stop(); <-done }()

	if _, err := cli.SetEnabled(ctx, "himalayas-ma", true, ""); err == nil {
		t.Error("enabled without saying who")
	}
	if _, err := cli.SetEnabled(ctx, "nope", true, "ops"); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("unknown source: %v", err)
	}
	rec, err := cli.SetEnabled(ctx, "himalayas-ma", true, "Youssef (ops)")
	if err != nil || rec.By != "Youssef (ops)" || rec.At.IsZero() {
		t.Fatalf("SetEnabled: %+v, %v", rec, err)
	}
	defer func() {
		if t.Failed() {
			logs.mu.Lock()
			for _, r := range logs.recs {
				var b strings.Builder
				r.Attrs(func(a slog.Attr) bool { b.WriteString(" " + a.Key + "=" + a.Value.String()); return true })
				t.Logf("crawler log %s %s%s", r.Time.Format("15:04:05.000"), r.Message, b.String())
			}
			logs.mu.Unlock()
		}
	}()
	waitFor(t, "the running crawler to crawl the enabled source", 30*time.Second, func() bool { return site.count("/jobs") >= 1 })
	st, _ := running.Status(ctx)
	if !st[0].Enabled || st[0].EnabledBy != "Youssef (ops)" || st[0].EnabledAt.IsZero() {
		t.Errorf("status %+v", st[0])
	}
	if _, err := cli.SetEnabled(ctx, "himalayas-ma", false, "Youssef (ops)"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the source to be unscheduled", 30*time.Second, func() bool { return len(logs.find("crawler: source unscheduled")) > 0 })
	if s, _ := running.Source("himalayas-ma"); s.IsEnabled() {
		t.Error("still enabled in the running crawler")
	}
}

func TestCareerPageAPIAndNames(t *testing.T) {
	tests := []struct{ in, api, kind, name string }{
		{"https://boards.greenhouse.io/artefact", "https://boards-api.greenhouse.io/v1/boards/artefact/jobs?content=true", "greenhouse", "artefact-careers"},
		{"https://jobs.lever.co/mistral/", "https://api.lever.co/v0/postings/mistral?mode=json", "lever", "mistral-careers"},
		{"https://jobs.ashbyhq.com/delphi", "https://api.ashbyhq.com/posting-api/job-board/delphi?includeCompensation=true", "ashby", "delphi-careers"},
		{"https://apply.workable.com/safrangroup/", "https://apply.workable.com/api/v1/widget/accounts/safrangroup?details=true", "workable", "safrangroup-careers"},
		{"https://teleperformance.recruitee.com/", "https://teleperformance.recruitee.com/api/offers/", "recruitee", "teleperformance-careers"},
		{"https://careers.smartrecruiters.com/ALTEN", "https://careers.smartrecruiters.com/ALTEN", smartrecruitersPagesKind, "alten-careers"},
		{"https://www.oriental-data.co.ma/carrieres", "", "", "oriental-data-careers"},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.in)
		api, kind, _, ok := careerPageAPI(u)
		if api != tt.api || kind != tt.kind || ok != (tt.api != "") {
			t.Errorf("%s: %q %q %v", tt.in, api, kind, ok)
		}
		if n := nameFromURL(u); n != tt.name || !sourceNameRE.MatchString(n) {
			t.Errorf("%s: name %q, want %q", tt.in, n, tt.name)
		}
	}
}
