package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFetchUserAgentAndEnvOverrides(t *testing.T) {
	// COLLY_* variables must not change what Config says.
	t.Setenv("COLLY_USER_AGENT", "evil-bot")
	t.Setenv("COLLY_IGNORE_ROBOTSTXT", "yes")
	t.Setenv("COLLY_MAX_BODY_SIZE", "1")
	t.Setenv("COLLY_FOLLOW_REDIRECTS", "no")
	t.Setenv("COLLY_ALLOWED_DOMAINS", "nowhere.example")
	site := newTestSite(t)
	site.serve("/robots.txt", "text/plain", []byte("User-agent: *\nDisallow: /secret\n"))
	site.serve("/page", "text/plain", []byte(strings.Repeat("x", 100)))
	site.handle("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/page", http.StatusFound) })
	c, _, _ := newTestCrawler(t, Config{}, nil, Deps{})
	ctx := context.Background()

	res, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/moved", AllowPrivate: true})
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if len(res.Body) != 100 || res.URL != site.URL+"/page" {
		t.Errorf("got %d bytes from %s, want 100 from /page (redirect followed, no 1-byte cap)", len(res.Body), res.URL)
	}
	for _, r := range site.requests("") {
		if ua := r.Header.Get("User-Agent"); ua != DefaultUserAgent {
			t.Errorf("%s: User-Agent %q, want %q", r.Path, ua, DefaultUserAgent)
		}
	}
	if !strings.Contains(DefaultUserAgent, "+https://") || !strings.Contains(DefaultUserAgent, "contact:") {
		t.Errorf("User-Agent %q has no contact URL", DefaultUserAgent)
	}
	if _, err := c.fetch(ctx, fetchRequest{URL: site.URL + "/secret", AllowPrivate: true}); !errors.Is(err, ErrRobotsDisallowed) {
		t.Errorf("robots.txt ignored: err = %v", err)
	}
}

func TestFetchBodyCap(t *testing.T) {
	const limit = 1000
	site := newTestSite(t)
	site.handle("/declared", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(limit+1))
		_, _ = w.Write(make([]byte, limit+1))
	})
	site.handle("/chunked", func(w http.ResponseWriter, _ *http.Request) {
		for range 3 { // no Content-Length: the size is only known while reading
			_, _ = w.Write(make([]byte, limit/2))
			w.(http.Flusher).Flush()
		}
	})
	site.serve("/exact", "text/plain", make([]byte, limit))
	c, _, _ := newTestCrawler(t, Config{MaxBodyBytes: limit}, nil, Deps{})
	tests := []struct {
		path    string
		wantErr error
	}{
		{"/declared", ErrBodyTooLarge},
		{"/chunked", ErrBodyTooLarge},
		{"/exact", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + tt.path, AllowPrivate: true})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && len(res.Body) != limit {
				t.Errorf("body %d bytes, want %d", len(res.Body), limit)
			}
			if n := site.count(tt.path); n != 1 {
				t.Errorf("%d requests, want 1 (a too-large body is not retried)", n)
			}
		})
	}
}

func TestFetchRedirectLimit(t *testing.T) {
	site := newTestSite(t)
	// /r/N redirects to /r/N-1, /r/0 is the page.
	for n := 0; n <= 5; n++ {
		path := fmt.Sprintf("/r/%d", n)
		if n == 0 {
			site.serve(path, "text/plain", []byte("landed"))
			continue
		}
		target := fmt.Sprintf("/r/%d", n-1)
		site.handle(path, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target, http.StatusMovedPermanently) })
	}
	c, _, _ := newTestCrawler(t, Config{MaxRedirects: 3}, nil, Deps{})
	tests := []struct {
		hops    int
		wantErr bool
	}{{0, false}, {3, false}, {4, true}, {5, true}}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.hops), func(t *testing.T) {
			res, err := c.fetch(context.Background(), fetchRequest{URL: fmt.Sprintf("%s/r/%d", site.URL, tt.hops), AllowPrivate: true})
			if tt.wantErr {
				if !errors.Is(err, ErrTooManyRedirects) {
					t.Fatalf("err = %v, want ErrTooManyRedirects", err)
				}
				return
			}
			if err != nil || string(res.Body) != "landed" {
				t.Fatalf("res %q, err %v", res.Body, err)
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	site := newTestSite(t)
	release := make(chan struct{})
	defer close(release)
	site.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select { // answer only when the client gave up
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, _, _ := newTestCrawler(t, Config{Timeout: 150 * time.Millisecond, MaxRetries: -1}, nil, Deps{})
	start := time.Now()
	_, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/slow", AllowPrivate: true})
	if err == nil {
		t.Fatal("no error from a server that never answers")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s, the timeout is 150ms", d)
	}
}

func TestFetchPrivateAddressRefused(t *testing.T) {
	site := newTestSite(t)
	site.serve("/jobs", "text/plain", []byte("secret"))
	c, _, _ := newTestCrawler(t, Config{MaxRetries: 1}, nil, Deps{})
	addr := site.Listener.Addr().String()
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	for _, u := range []string{
		site.URL + "/jobs",                        // literal 127.0.0.1
		"http://localhost:" + port + "/jobs",      // a name resolving to loopback
		"http://[::ffff:127.0.0.1]:" + port + "/", // IPv4-mapped IPv6
	} {
		_, err := c.fetch(context.Background(), fetchRequest{URL: u})
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress", u, err)
		}
	}
	if n := site.count(""); n != 0 {
		t.Errorf("the private site received %d requests", n)
	}
	// Opt-in per request (source) and per Config.
	if _, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/jobs", AllowPrivate: true}); err != nil {
		t.Errorf("AllowPrivate source: %v", err)
	}
	c2, _, _ := newTestCrawler(t, Config{AllowPrivate: true}, nil, Deps{})
	if _, err := c2.fetch(context.Background(), fetchRequest{URL: site.URL + "/jobs"}); err != nil {
		t.Errorf("Config.AllowPrivate: %v", err)
	}
}

func TestFetchGuardIsPublic(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"8.8.8.8", true}, {"2606:4700:4700::1111", true}, {"41.250.1.1", true},
		{"127.0.0.1", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"100.64.0.1", false}, {"0.0.0.0", false}, {"::1", false},
		{"fe80::1", false}, {"fc00::1", false}, {"::ffff:10.0.0.1", false}, {"224.0.0.1", false},
		{"255.255.255.255", false}, {"198.18.0.1", false}, {"::", false},
	}
	for _, tt := range tests {
		if got := guardIsPublic(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("guardIsPublic(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestFetchStatusErrors(t *testing.T) {
	site := newTestSite(t)
	site.handle("/gone", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
	c, _, _ := newTestCrawler(t, Config{}, nil, Deps{})
	_, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/gone", AllowPrivate: true})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusGone {
		t.Fatalf("err = %v, want HTTPError 410", err)
	}
	if n := site.count("/gone"); n != 1 {
		t.Errorf("410 requested %d times, want 1 (not retried)", n)
	}
	for _, u := range []string{"ftp://x.test/", "/relative", "http://"} {
		if _, err := c.fetch(context.Background(), fetchRequest{URL: u}); err == nil {
			t.Errorf("fetch(%q) accepted", u)
		}
	}
}
