package crawler

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/passerelle/passerelle/jobs"
)

const (
	benchJobs    = 5000
	benchPerList = 100
)

// benchSite serves benchJobs JSON-LD job pages and listing pages of
// benchPerList links each, chained by rel=next, plus a permissive robots.txt.
func benchSite(b *testing.B) *httptest.Server {
	b.Helper()
	lists := benchJobs / benchPerList
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("User-agent: *\nAllow: /\n"))
	})
	mux.HandleFunc("/list/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 0 || n >= lists {
			http.NotFound(w, r)
			return
		}
		var sb strings.Builder
		sb.WriteString("<!doctype html><html><head><title>Jobs</title></head><body><ul>")
		for i := n * benchPerList; i < (n+1)*benchPerList; i++ {
			fmt.Fprintf(&sb, `<li><a class="job" href="/job/%d">Data role %d</a></li>`, i, i)
		}
		sb.WriteString("</ul>")
		if n+1 < lists {
			fmt.Fprintf(&sb, `<a rel="next" href="/list/%d">next</a>`, n+1)
		}
		sb.WriteString("</body></html>")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(sb.String()))
	})
	mux.HandleFunc("/job/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data role %s","description":"<p>Python, SQL and dashboards for role %s.</p>","datePosted":"2026-11-10","hiringOrganization":{"@type":"Organization","name":"Company %s"},"jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Oujda","addressCountry":"MA"}}}</script></head><body><h1>Data role %s</h1></body></html>`, n, n, n, n)
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

// benchLinksFormat reads a listing: one posting (URL and title) per a.job.
var benchLinksFormat = Format{
	Name: "benchlinks",
	Parse: func(d Document) (ParseResult, error) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(d.Body))
		if err != nil {
			return ParseResult{}, err
		}
		var pr ParseResult
		doc.Find("a.job").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			pr.Postings = append(pr.Postings, jobs.Posting{URL: href, Title: s.Text()})
		})
		return pr, nil
	},
}

type countPublisher struct{ n atomic.Int64 }

func (p *countPublisher) PublishOffer(context.Context, jobs.Offer) error { p.n.Add(1); return nil }

// BenchmarkCrawl crawls the same 5,050-page site with our Crawler (robots,
// per-host limiter, conditional-request bookkeeping, Colly per request,
// detail merge, dedup, publish) and with a bare Colly collector that
// follows the same links and runs the same JSON-LD parser, and reports
// both rates and our overhead ratio. The rate limit is set out of the way
// (1e6 req/s): the benchmark measures the runtime's cost, not politeness
// delays. Normalization is the cheap test normalizer (jobs benchmarks its own).
func BenchmarkCrawl(b *testing.B) {
	srv := benchSite(b)
	jsonld, ok := FormatByName("jsonld")
	if !ok {
		b.Fatal("jsonld format not registered")
	}
	pages := benchJobs + benchJobs/benchPerList
	byName := func(n string) (Format, bool) {
		if n == benchLinksFormat.Name {
			return benchLinksFormat, true
		}
		return FormatByName(n)
	}
	ours := func() time.Duration {
		pub := &countPublisher{}
		src := SourceConfig{Name: "bench", Kind: "benchlinks", URL: srv.URL + "/list/0", AllowPrivate: true,
			RatePerSecond: 1e6, FollowDetail: true, MaxPages: 1000, MaxDetails: benchJobs,
			Terms: jobs.Terms{Attribution: "bench"}}
		c, err := newCrawler(Config{DefaultRate: 1e6, Logger: slog.New(slog.DiscardHandler)}, []SourceConfig{src},
			Deps{Publisher: pub, Normalizer: testNormalizer{}}, byName, DetectFormat)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		rep, err := c.RunSource(context.Background(), "bench")
		d := time.Since(start)
		if err != nil || rep.Fetched != pages || pub.n.Load() != benchJobs {
			b.Fatalf("ours: fetched %d published %d (%+v), err %v; want %d and %d", rep.Fetched, pub.n.Load(), rep.Errors, err, pages, benchJobs)
		}
		return d
	}
	bare := func() time.Duration {
		col := colly.NewCollector()
		col.SetRequestTimeout(20 * time.Second)
		var parsed, fetched atomic.Int64
		// Same work as ours per page: listings read by the same links
		// parser (plus the next link), job pages by the same JSON-LD parser.
		col.OnResponse(func(r *colly.Response) {
			fetched.Add(1)
			doc := Document{URL: r.Request.URL.String(), ContentType: r.Headers.Get("Content-Type"), Body: r.Body}
			if strings.HasPrefix(r.Request.URL.Path, "/job/") {
				if pr, err := jsonld.Parse(doc); err == nil {
					parsed.Add(int64(len(pr.Postings)))
				}
				return
			}
			pr, err := benchLinksFormat.Parse(doc)
			if err != nil {
				return
			}
			for _, p := range pr.Postings {
				_ = r.Request.Visit(p.URL)
			}
			if gd, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body)); err == nil {
				if next, ok := gd.Find("a[rel=next]").Attr("href"); ok {
					_ = r.Request.Visit(next)
				}
			}
		})
		start := time.Now()
		if err := col.Visit(srv.URL + "/list/0"); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		if fetched.Load() != int64(pages) || parsed.Load() != benchJobs {
			b.Fatalf("bare colly: fetched %d parsed %d", fetched.Load(), parsed.Load())
		}
		return d
	}
	// The machine is shared: each crawler runs twice per iteration,
	// alternately, and the better time of each counts.
	var oursTotal, bareTotal time.Duration
	for b.Loop() {
		o1, c1 := ours(), bare()
		c2, o2 := bare(), ours()
		oursTotal += min(o1, o2)
		bareTotal += min(c1, c2)
	}
	n := float64(b.N)
	oursRate := float64(pages) * n / oursTotal.Seconds()
	bareRate := float64(pages) * n / bareTotal.Seconds()
	b.ReportMetric(oursRate, "ours_pages/s")
	b.ReportMetric(bareRate, "colly_pages/s")
	b.ReportMetric(bareRate/oursRate, "overhead_x")
}
