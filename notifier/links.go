package notifier

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// LinkChecker tells whether an offer's link is dead just before a digest
// carries it (--check-links). why is a short reason for logs.
type LinkChecker interface {
	Dead(ctx context.Context, link string) (dead bool, why string)
}

var _ LinkChecker = (*HTTPLinkChecker)(nil)

// LinkCheckConfig configures HTTPLinkChecker; its zero value works.
type LinkCheckConfig struct {
	// Timeout bounds one check (HEAD, and the GET after a 405). Default 5s.
	Timeout time.Duration
	// HostInterval is the least time between two requests to one host.
	// Default 1s.
	HostInterval time.Duration
	// CacheFor is how long an answer is reused. Default 6h; a network
	// error (timeout, refused) is reused for a tenth of it.
	CacheFor time.Duration
	// UserAgent names the checker. Default DefaultLinkCheckUserAgent.
	UserAgent string
	// AllowPrivate lets it check loopback and private addresses (tests);
	// otherwise links to them are left unchecked (kept).
	AllowPrivate bool
}

// Link checker defaults.
const (
	DefaultLinkCheckTimeout   = 5 * time.Second
	DefaultLinkCheckInterval  = time.Second
	DefaultLinkCheckCacheFor  = 6 * time.Hour
	DefaultLinkCheckUserAgent = "Passerelle-LinkCheck/1.0 (job alerts for graduates; checks that apply links still work)"
	linkCacheMax              = 20000
)

// HTTPLinkChecker checks links with a HEAD request (a GET when the
// server answers 405 or 501 to HEAD), politely: one request per host per
// HostInterval, answers cached for CacheFor. A link is dead when the
// server answers 404 or 410, or when its host name does not exist;
// anything else (timeouts, 5xx, 403 to robots) keeps the offer: a
// checker must not drop live offers on a bad minute.
type HTTPLinkChecker struct {
	cfg    LinkCheckConfig
	client *http.Client
	now    func() time.Time

	mu     sync.Mutex
	cache  map[string]linkAnswer
	nextAt map[string]time.Time // host -> earliest next request
}

type linkAnswer struct {
	dead    bool
	why     string
	expires time.Time
}

// NewHTTPLinkChecker returns a checker with cfg's defaults filled.
func NewHTTPLinkChecker(cfg LinkCheckConfig) *HTTPLinkChecker {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultLinkCheckTimeout
	}
	if cfg.HostInterval <= 0 {
		cfg.HostInterval = DefaultLinkCheckInterval
	}
	if cfg.CacheFor <= 0 {
		cfg.CacheFor = DefaultLinkCheckCacheFor
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultLinkCheckUserAgent
	}
	dialer := &net.Dialer{Timeout: cfg.Timeout}
	if !cfg.AllowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConnsPerHost:   1,
		IdleConnTimeout:       30 * time.Second,
	}
	client := &http.Client{
		Transport: tr,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
	return &HTTPLinkChecker{cfg: cfg, client: client, now: time.Now,
		cache: map[string]linkAnswer{}, nextAt: map[string]time.Time{}}
}

// errPrivateAddress: the link points at a non-public address.
var errPrivateAddress = errors.New("notifier: link check: private address not checked")

func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errPrivateAddress
	}
	a := ap.Addr().Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() || a.IsLinkLocalMulticast() {
		return errPrivateAddress
	}
	return nil
}

// Dead implements LinkChecker.
func (c *HTTPLinkChecker) Dead(ctx context.Context, link string) (bool, string) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false, "not an http(s) link: not checked"
	}
	u.Fragment = ""
	key := u.String()
	now := c.now()
	c.mu.Lock()
	if a, ok := c.cache[key]; ok && now.Before(a.expires) {
		c.mu.Unlock()
		return a.dead, a.why + " (cached)"
	}
	host := strings.ToLower(u.Host)
	at := c.nextAt[host]
	if at.Before(now) {
		at = now
	}
	c.nextAt[host] = at.Add(c.cfg.HostInterval)
	c.mu.Unlock()
	if err := sleepCtx(ctx, at.Sub(now)); err != nil {
		return false, "not checked: " + err.Error()
	}

	status, err := c.request(ctx, http.MethodHead, key)
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented) {
		status, err = c.request(ctx, http.MethodGet, key)
	}
	a := linkAnswer{expires: c.now().Add(c.cfg.CacheFor)}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, errPrivateAddress):
		a.why = "private address: not checked"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		a.dead, a.why = true, "host not found"
	case err != nil:
		a.why = "not checked: " + err.Error()
		a.expires = c.now().Add(c.cfg.CacheFor / 10)
	case status == http.StatusNotFound || status == http.StatusGone:
		a.dead, a.why = true, fmt.Sprintf("HTTP %d", status)
	default:
		a.why = fmt.Sprintf("HTTP %d", status)
	}
	c.mu.Lock()
	if len(c.cache) >= linkCacheMax {
		for k, v := range c.cache {
			if !now.Before(v.expires) {
				delete(c.cache, k)
			}
		}
		if len(c.cache) >= linkCacheMax {
			c.cache = map[string]linkAnswer{}
		}
	}
	c.cache[key] = a
	for h, t := range c.nextAt {
		if t.Before(now) {
			delete(c.nextAt, h)
		}
	}
	c.mu.Unlock()
	return a.dead, a.why
}

// request sends one request and returns the final status (redirects followed).
func (c *HTTPLinkChecker) request(ctx context.Context, method, link string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, link, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if method == http.MethodGet {
		req.Header.Set("Range", "bytes=0-0")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}
