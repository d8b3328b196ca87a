package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"

	"github.com/passerelle/passerelle/jobs"
)

// Fetch errors callers branch on.
var (
	ErrRobotsDisallowed = errors.New("crawler: disallowed by robots.txt")
	ErrBodyTooLarge     = errors.New("crawler: response body too large")
	ErrTooManyRedirects = errors.New("crawler: too many redirects")
	ErrHeldOff          = errors.New("crawler: host asked us to wait")
)

// HTTPError is a final non-success HTTP status.
type HTTPError struct {
	URL    string
	Status int
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("crawler: %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// fetchRequest is one polite GET.
type fetchRequest struct {
	URL          string
	Validator    Validator // sent as If-None-Match / If-Modified-Since
	AllowPrivate bool
	Rate         float64 // requests per second to this host; <= 0: Config.DefaultRate
	MaxBody      int64   // 0: Config.MaxBodyBytes
	skipRobots   bool    // for robots.txt itself
	noRetry      bool    // answer with the first status (source checks)
}

// fetchResult is a fetched document.
type fetchResult struct {
	URL         string // final URL, after redirects
	Status      int
	Header      http.Header
	Body        []byte
	NotModified bool // 304: Body is empty, the previous content still holds
	Attempts    int
}

// fetchTransport builds the shared transport. Proxies from the environment
// are ignored on purpose: the dial guard must see the real destination.
func fetchTransport(guard bool, timeout time.Duration, allow []netip.Prefix) *http.Transport {
	d := &net.Dialer{Timeout: min(timeout, 10*time.Second), KeepAlive: 30 * time.Second}
	if guard {
		d.Control = guardControl
		if len(allow) > 0 {
			d.Control = guardControlAllowing(allow)
		}
	}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   min(timeout, 10*time.Second),
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
}

// fetchCollector builds a Colly collector for one request with every option
// set explicitly. It is built with Init instead of colly.NewCollector so
// that COLLY_* environment variables (which NewCollector applies after the
// options) can change nothing: robots, body cap, redirects and User-Agent
// stay what Config says.
func (c *Crawler) fetchCollector(ctx context.Context, allowPrivate bool, maxBody int64) *colly.Collector {
	col := &colly.Collector{}
	col.Init()
	col.UserAgent = c.cfg.UserAgent
	col.MaxDepth = 0
	col.MaxRequests = 0
	col.AllowURLRevisit = true // we re-fetch on purpose (retries, conditional GETs)
	col.IgnoreRobotsTxt = true // robots.txt is handled by fetchRobots, with Crawl-delay and expiry
	col.ParseHTTPErrorResponse = true
	col.DetectCharset = false
	col.CacheDir = ""
	col.Async = false
	col.TraceHTTP = false
	// One byte more than allowed, so that an oversized body is detected
	// instead of silently truncated.
	col.MaxBodySize = int(min(maxBody+1, int64(^uint(0)>>1)))
	col.Context = ctx
	col.DisableCookies()
	rt := c.guardTransport
	if allowPrivate || c.cfg.AllowPrivate {
		rt = c.openTransport
	}
	col.WithTransport(gunzipCap{rt: rt, max: maxBody})
	col.SetRequestTimeout(c.cfg.Timeout)
	maxRedirects := c.cfg.MaxRedirects
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("%w (%d)", ErrTooManyRedirects, maxRedirects)
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("crawler: redirect to %s refused: not http(s)", req.URL.Scheme)
		}
		return nil
	})
	return col
}

// fetchOnce performs one request through Colly.
func (c *Crawler) fetchOnce(ctx context.Context, req fetchRequest, maxBody int64) (fetchResult, error) {
	col := c.fetchCollector(ctx, req.AllowPrivate, maxBody)
	var res fetchResult
	var tooLarge bool
	col.OnResponseHeaders(func(r *colly.Response) {
		if cl := r.Headers.Get("Content-Length"); cl != "" {
			if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n > maxBody {
				tooLarge = true
				r.Request.Abort()
			}
		}
	})
	// With ParseHTTPErrorResponse every status, 304 and 5xx included,
	// comes here instead of OnError; transport errors are returned by
	// Request.
	col.OnResponse(func(r *colly.Response) {
		res.Status = r.StatusCode
		res.Body = r.Body
		if r.Headers != nil {
			res.Header = r.Headers.Clone()
		}
		res.URL = r.Request.URL.String()
	})
	hdr := http.Header{}
	hdr.Set("User-Agent", c.cfg.UserAgent)
	hdr.Set("Accept", "application/json, application/ld+json, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.9, */*;q=0.8")
	if req.Validator.ETag != "" {
		hdr.Set("If-None-Match", req.Validator.ETag)
	}
	if req.Validator.LastModified != "" {
		hdr.Set("If-Modified-Since", req.Validator.LastModified)
	}
	err := col.Request(http.MethodGet, req.URL, nil, nil, hdr)
	if tooLarge {
		return res, fmt.Errorf("%w: %s declares more than %d bytes", ErrBodyTooLarge, req.URL, maxBody)
	}
	if err != nil {
		return res, fmt.Errorf("crawler: fetch %s: %w", req.URL, err)
	}
	if int64(len(res.Body)) > maxBody {
		return res, fmt.Errorf("%w: %s is larger than %d bytes", ErrBodyTooLarge, req.URL, maxBody)
	}
	if res.URL == "" {
		res.URL = req.URL
	}
	return res, nil
}

// fetch performs a polite GET: robots.txt, per-host rate limit with
// Crawl-delay as a floor, conditional request, bounded retries with
// exponential backoff and Retry-After as a floor.
func (c *Crawler) fetch(ctx context.Context, req fetchRequest) (fetchResult, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fetchResult{}, fmt.Errorf("crawler: fetch %q: not an absolute http(s) URL", req.URL)
	}
	maxBody := req.MaxBody
	if maxBody <= 0 {
		maxBody = c.cfg.MaxBodyBytes
	}
	rate := req.Rate
	if rate <= 0 {
		rate = c.cfg.DefaultRate
	}
	var crawlDelay time.Duration
	if !req.skipRobots {
		robots, err := c.fetchRobots(ctx, u, req.AllowPrivate, rate)
		if err != nil {
			return fetchResult{}, err
		}
		if !robots.TestAgent(robotsPath(u), c.cfg.UserAgent) {
			return fetchResult{}, fmt.Errorf("%w: %s", ErrRobotsDisallowed, req.URL)
		}
		if g := robots.FindGroup(c.cfg.UserAgent); g != nil {
			crawlDelay = g.CrawlDelay
		}
	}
	interval := politeInterval(rate, crawlDelay)
	host := u.Host
	var res fetchResult
	for attempt := 0; ; attempt++ {
		if held := c.limiter.heldUntil(host); held.Sub(c.now()) > politeMaxWait {
			return res, fmt.Errorf("%w: %s until %s", ErrHeldOff, host, held.UTC().Format(time.RFC3339))
		}
		wait := c.limiter.reserve(host, interval)
		if wait > politeMaxWait {
			return res, fmt.Errorf("%w: %s needs %s between requests", ErrHeldOff, host, wait)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return res, fmt.Errorf("crawler: fetch %s: %w", req.URL, err)
		}
		res, err = c.fetchOnce(ctx, req, maxBody)
		res.Attempts = attempt + 1
		retry := false
		switch {
		case err != nil:
			if ctx.Err() != nil || errors.Is(err, ErrPrivateAddress) || errors.Is(err, ErrBodyTooLarge) ||
				errors.Is(err, ErrTooManyRedirects) {
				return res, err
			}
			retry = true
		case res.Status == http.StatusNotModified:
			res.NotModified = true
			return res, nil
		case res.Status >= 200 && res.Status < 300:
			return res, nil
		case politeRetryable(res.Status):
			retry = true
			err = &HTTPError{URL: req.URL, Status: res.Status}
		default:
			return res, &HTTPError{URL: req.URL, Status: res.Status}
		}
		if !retry || attempt >= c.cfg.MaxRetries || req.noRetry {
			return res, err
		}
		backoff := politeBackoff(attempt)
		if ra, ok := politeRetryAfter(res.Header, c.now()); ok {
			backoff = max(backoff, ra)
		}
		// The floor goes through the limiter so that every source using
		// this host waits too, not only this request.
		c.limiter.holdOff(host, c.now().Add(backoff))
		c.log.Debug("crawler: retrying", "url", req.URL, "attempt", attempt+1, "status", res.Status,
			"wait_ms", backoff.Milliseconds(), "error", err)
	}
}

// robotsPath is the path+query robots rules are matched against.
func robotsPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// fetchRobots returns the robots.txt rules of u's origin. 4xx means no
// rules, 5xx means "disallow everything" for a while (RFC 9309); network
// errors fail the fetch.
func (c *Crawler) fetchRobots(ctx context.Context, u *url.URL, allowPrivate bool, rate float64) (*robotstxt.RobotsData, error) {
	origin := u.Scheme + "://" + u.Host
	return c.robots.do(ctx, origin, c.now, func() (*robotstxt.RobotsData, time.Duration, error) {
		r, err := c.fetchRobotsOnce(ctx, origin, allowPrivate, rate, false)
		return r.data, r.ttl, err
	})
}

// robotsFetched is one reading of a robots.txt.
type robotsFetched struct {
	data       *robotstxt.RobotsData
	ttl        time.Duration // how long to keep it
	status     int           // HTTP status of robots.txt
	unreadable bool          // the body could not be parsed: read as no rules
}

// fetchRobotsOnce fetches and parses origin's robots.txt and says how long
// to keep it. noRetry answers with the first status (source checks).
func (c *Crawler) fetchRobotsOnce(ctx context.Context, origin string, allowPrivate bool, rate float64, noRetry bool) (robotsFetched, error) {
	res, err := c.fetch(ctx, fetchRequest{
		URL: origin + "/robots.txt", AllowPrivate: allowPrivate, Rate: rate,
		MaxBody: politeRobotsMax, skipRobots: true, noRetry: noRetry,
	})
	var status int
	var body []byte
	var httpErr *HTTPError
	switch {
	case err == nil:
		status, body = res.Status, res.Body
	case errors.As(err, &httpErr):
		status = httpErr.Status
	case errors.Is(err, ErrBodyTooLarge):
		// RFC 9309: crawlers must parse at least the first 500 KiB.
		status, body = http.StatusOK, res.Body[:min(len(res.Body), politeRobotsMax)]
	default:
		return robotsFetched{}, fmt.Errorf("crawler: robots.txt of %s: %w", origin, err)
	}
	r := robotsFetched{status: status, ttl: politeRobotsTTL}
	var perr error
	r.data, perr = robotstxt.FromStatusAndBytes(status, body)
	if perr != nil {
		// Unparseable robots.txt: treat as no rules, like most crawlers.
		r.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		r.unreadable = true
	}
	if status >= 500 {
		r.ttl = politeRobotsErrTTL
	}
	return r, nil
}

// FetchOptions relax the crawler's guards for one document; the zero value
// is the crawler's own policy (robots.txt honoured, private addresses
// refused).
type FetchOptions struct {
	// AllowPrivate lets the request reach loopback, private and link-local
	// addresses (a server on the operator's own network).
	AllowPrivate bool
	// IgnoreRobots skips robots.txt: only with the site owner's permission.
	IgnoreRobots bool
	// MaxBody caps the body; 0 is Config.MaxBodyBytes.
	MaxBody int64
}

// FetchDocument fetches one URL as the crawler does (robots.txt and its
// Crawl-delay, the per-host rate, retries with backoff, body and redirect
// caps, private addresses refused at dial time unless allowed) and returns
// it as a Document for a parser. Errors wrap ErrRobotsDisallowed,
// ErrPrivateAddress, ErrBodyTooLarge or *HTTPError when that is the cause.
func (c *Crawler) FetchDocument(ctx context.Context, rawURL string, opt FetchOptions) (Document, error) {
	res, err := c.fetch(ctx, fetchRequest{URL: rawURL, AllowPrivate: opt.AllowPrivate, MaxBody: opt.MaxBody, skipRobots: opt.IgnoreRobots})
	if err != nil {
		return Document{}, err
	}
	return Document{URL: res.URL, ContentType: res.Header.Get("Content-Type"), Body: res.Body}, nil
}

// NewFetcher returns a crawler without sources, to fetch and read single
// documents (`passerelle extract URL`, source checks). Its robots.txt cache
// and per-host limits are its own.
func NewFetcher(cfg Config) *Crawler {
	// New fails only on a source or a missing publisher: neither here.
	c, _ := New(cfg, nil, Deps{Publisher: noPublisher{}})
	return c
}

// noPublisher is the Publisher of a crawler that never publishes.
type noPublisher struct{}

func (noPublisher) PublishOffer(context.Context, jobs.Offer) error {
	return errors.New("crawler: this crawler does not publish")
}

// Close releases the crawler's idle connections (a crawler built for one
// call; Run does it itself when it stops).
func (c *Crawler) Close() {
	c.guardTransport.CloseIdleConnections()
	c.openTransport.CloseIdleConnections()
}
