package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/passerelle/passerelle/jobs"
)

// countingSite is a local job site that counts the requests per path.
type countingSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newCountingSite(t *testing.T, routes map[string]string) *countingSite {
	t.Helper()
	s := &countingSite{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		body, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".txt") {
			w.Header().Set("Content-Type", "text/plain")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *countingSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

const extractJobPage = `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting",
"title":"Data Analyst junior","identifier":"da-1","hiringOrganization":{"@type":"Organization","name":"Atlas Data"},
"jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Oujda","addressCountry":"MA"}},
"description":"SQL, Power BI.","datePosted":"2026-11-20"}</script></head><body></body></html>`

// extract URL honours robots.txt and refuses private addresses, each
// unless a flag says otherwise, with a message saying which flag.
func TestExtractURLGuards(t *testing.T) {
	site := newCountingSite(t, map[string]string{
		"/robots.txt":   "User-agent: *\nDisallow: /private/\n",
		"/jobs":         extractJobPage,
		"/private/jobs": extractJobPage,
	})
	ctx := context.Background()

	code, out, errs := runCLI(t, ctx, "", "extract", site.URL+"/jobs")
	if code != 1 || out != "" || !strings.Contains(errs, "--allow-private") || !strings.Contains(errs, "private address") {
		t.Errorf("loopback URL without --allow-private: code %d, stdout %q, stderr:\n%s", code, out, errs)
	}
	if n := site.count("/jobs") + site.count("/robots.txt"); n != 0 {
		t.Errorf("the refused loopback server received %d requests", n)
	}

	code, out, errs = runCLI(t, ctx, "", "extract", "--allow-private", site.URL+"/private/jobs")
	if code != 1 || out != "" || !strings.Contains(errs, "robots.txt") || !strings.Contains(errs, "--ignore-robots") {
		t.Errorf("disallowed URL: code %d, stdout %q, stderr:\n%s", code, out, errs)
	}
	if site.count("/robots.txt") != 1 || site.count("/private/jobs") != 0 {
		t.Errorf("robots.txt read %d times, disallowed page fetched %d times; want 1 and 0", site.count("/robots.txt"), site.count("/private/jobs"))
	}

	for _, args := range [][]string{
		{"extract", "--allow-private", site.URL + "/jobs"},
		{"extract", "--allow-private", "--ignore-robots", site.URL + "/private/jobs"},
	} {
		code, out, errs = runCLI(t, ctx, "", args...)
		if code != 0 {
			t.Fatalf("%v: code %d: %s", args, code, errs)
		}
		offers := jsonLines[jobs.Offer](t, out)
		if len(offers) != 1 || offers[0].Title != "Data Analyst junior" || offers[0].Company != "Atlas Data" {
			t.Errorf("%v: offers %+v", args, offers)
		}
	}
	if site.count("/private/jobs") != 1 {
		t.Errorf("--ignore-robots: page fetched %d times, want 1", site.count("/private/jobs"))
	}
}
