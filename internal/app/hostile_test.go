package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hostilePage is a careers page whose JSON-LD carries text written to break
// parsers: letters that grow when lower-cased in the remote-location
// requirement (it once made the eligibility reader index past the end of a
// string, and the crawl on start repeated it after every restart), an
// invalid UTF-8 byte, a huge title and deep nesting, beside a plain offer.
func hostilePage(n int) string {
	deep := strings.Repeat(`{"a":`, 500) + `1` + strings.Repeat(`}`, 500)
	return fmt.Sprintf(`<!doctype html><html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data analyst remote %d",
 "description":"SQL et Python. ȺȺȺȺȺ","datePosted":"2026-12-01","jobLocationType":"TELECOMMUTE",
 "applicantLocationRequirements":{"@type":"Country","name":"ȺȺȺȺȺUTC0"},
 "hiringOrganization":{"@type":"Organization","name":"İİİ Corp \xff"},"url":"https://hostile.example/jobs/%d"}</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"%s",
 "description":"x","jobLocationType":"TELECOMMUTE","applicantLocationRequirements":{"name":"Remote ȺȺȺȺȺUTC0 İİ ſ K"},"extra":%s}</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Analyste BI Oujda %d",
 "description":"Power BI et SQL à Oujda.","datePosted":"2026-12-01",
 "jobLocation":{"@type":"Place","address":{"addressLocality":"Oujda","addressCountry":"MA"}},
 "hiringOrganization":{"@type":"Organization","name":"Oriental Data"},"url":"https://hostile.example/jobs/bi-%d"}</script>
</head><body></body></html>`, n, n, strings.Repeat("Ⱥ", 5000), deep, n, n)
}

// TestHostilePageDoesNotStopTheProcess crawls the hostile page twice (as
// the schedule would) in a process running every component, and checks
// that the process still serves and crawls, and that the plain offer on
// the same page went through.
func TestHostilePageDoesNotStopTheProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS and HTTP servers")
	}
	var served atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n := served.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, hostilePage(int(n)))
	}))
	defer site.Close()
	sources := filepath.Join(t.TempDir(), "sources.json")
	cfg := fmt.Sprintf(`{"sources":[{"name":"hostile","kind":"jsonld","url":%q,"schedule":"@every 1h","allow_private":true,
	 "terms":{"attribution":"Hostile test site","email_allowed":true}}]}`, site.URL+"/careers")
	if err := os.WriteFile(sources, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := Start(ctx, Config{
		DataDir: t.TempDir(), HTTPAddr: "127.0.0.1:0", SourcesFile: sources, AllowPrivate: true, NoCrawlOnStart: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	defer func() { cancel(); _ = a.Wait() }()
	for round := range 2 {
		_ = a.CrawlNow(ctx)
		resp, err := http.Get("http://" + a.HTTPAddr() + "/healthz")
		if err != nil {
			t.Fatalf("round %d: the process no longer serves: %v", round, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("round %d: /healthz %d", round, resp.StatusCode)
		}
	}
	if served.Load() < 2 {
		t.Errorf("the page was fetched %d times, want 2 crawls", served.Load())
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var titles []string
		for _, o := range a.RecentOffers(ctx, 20) {
			titles = append(titles, o.Title)
		}
		joined := strings.Join(titles, "|")
		if strings.Contains(joined, "Analyste BI Oujda") && strings.Contains(joined, "Data analyst remote") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("offers published from the hostile page: %q", titles)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
