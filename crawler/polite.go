package crawler

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// Politeness knobs that are not worth a Config field.
const (
	politeBackoffBase = time.Second
	politeBackoffMax  = 2 * time.Minute
	// politeMaxWait is the longest a run waits for one host (Retry-After,
	// Crawl-delay); beyond it the run gives up and the host stays held off
	// for the next run.
	politeMaxWait      = 5 * time.Minute
	politeRobotsTTL    = 24 * time.Hour
	politeRobotsErrTTL = 15 * time.Minute
	politeRobotsMax    = 512 << 10
	politeHostsPrune   = 4096
)

// politeLimiter spaces requests to each host: one request per interval,
// never before a Retry-After floor. Slots are booked under the lock and
// waited for outside it, so concurrent sources sharing a host queue up.
type politeLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	hosts map[string]*politeHost
}

type politeHost struct {
	last      time.Time // start of the last request booked
	next      time.Time // earliest start of the next request, by the last request's interval
	notBefore time.Time // Retry-After / backoff floor
}

func newPoliteLimiter(now func() time.Time) *politeLimiter {
	return &politeLimiter{now: now, hosts: map[string]*politeHost{}}
}

// reserve books the next slot for host and returns how long to wait for it.
// interval is the minimum gap between requests; jitter adds a random part
// in [0, interval/10) so requests do not tick like a metronome. The slot is
// at least interval after the last request booked, whatever interval that
// request was booked with: the page fetched right after robots.txt (booked
// before its Crawl-delay was known) is spaced by the Crawl-delay.
func (l *politeLimiter) reserve(host string, interval time.Duration) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.hosts[host]
	if h == nil {
		if len(l.hosts) >= politeHostsPrune {
			l.pruneLocked(now)
		}
		h = &politeHost{}
		l.hosts[host] = h
	}
	at := now
	if h.next.After(at) {
		at = h.next
	}
	if !h.last.IsZero() && h.last.Add(interval).After(at) {
		at = h.last.Add(interval)
	}
	if h.notBefore.After(at) {
		at = h.notBefore
	}
	h.last = at
	gap := interval
	if interval >= 10 {
		gap += rand.N(interval / 10)
	}
	h.next = at.Add(gap)
	return at.Sub(now)
}

// holdOff forbids requests to host before until (Retry-After, backoff).
func (l *politeLimiter) holdOff(host string, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hosts[host]
	if h == nil {
		h = &politeHost{}
		l.hosts[host] = h
	}
	if until.After(h.notBefore) {
		h.notBefore = until
	}
}

// heldUntil returns the Retry-After floor of host (zero when none).
func (l *politeLimiter) heldUntil(host string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.hosts[host]; h != nil {
		return h.notBefore
	}
	return time.Time{}
}

func (l *politeLimiter) pruneLocked(now time.Time) {
	for k, h := range l.hosts {
		if h.next.Before(now) && h.notBefore.Before(now) {
			delete(l.hosts, k)
		}
	}
}

// politeInterval is the gap between two requests at rate per second, with
// Crawl-delay as a floor. rate <= 0 means no rate limit.
func politeInterval(rate float64, crawlDelay time.Duration) time.Duration {
	var d time.Duration
	if rate > 0 {
		d = time.Duration(float64(time.Second) / rate)
	}
	return max(d, crawlDelay)
}

// politeBackoff is exponential backoff with "equal jitter": half of the
// step is fixed, half random, so retries of many clients spread out.
func politeBackoff(attempt int) time.Duration {
	step := politeBackoffMax
	if attempt < 20 {
		step = min(politeBackoffBase<<attempt, politeBackoffMax)
	}
	half := step / 2
	return half + rand.N(half+1)
}

// politeRetryAfter reads a Retry-After header (delay-seconds or HTTP date)
// relative to now; ok is false when absent or unreadable.
func politeRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// politeRetryable reports whether a response status is worth retrying.
func politeRetryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusRequestTimeout,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// politeRobots caches parsed robots.txt files per scheme+host, shared by
// every source of the crawler: one fetch per origin and TTL, however many
// sources live on the host and however many of them run at once (the
// first asks, the others wait for its answer).
type politeRobots struct {
	mu       sync.Mutex
	m        map[string]politeRobotsEntry
	inflight map[string]*politeRobotsCall
}

type politeRobotsEntry struct {
	data    *robotstxt.RobotsData
	expires time.Time
}

// politeRobotsCall is a robots.txt fetch in progress; done is closed when
// data or err is set.
type politeRobotsCall struct {
	done chan struct{}
	data *robotstxt.RobotsData
	err  error
}

func newPoliteRobots() *politeRobots {
	return &politeRobots{m: map[string]politeRobotsEntry{}, inflight: map[string]*politeRobotsCall{}}
}

// do returns origin's cached rules, or waits for the fetch in progress, or
// runs fetch (which returns the rules and how long to keep them). A failed
// fetch is not cached: the next caller tries again.
func (r *politeRobots) do(ctx context.Context, origin string, now func() time.Time,
	fetch func() (*robotstxt.RobotsData, time.Duration, error)) (*robotstxt.RobotsData, error) {
	r.mu.Lock()
	if e, ok := r.m[origin]; ok && !now().After(e.expires) {
		r.mu.Unlock()
		return e.data, nil
	}
	if call, ok := r.inflight[origin]; ok {
		r.mu.Unlock()
		select {
		case <-call.done:
			return call.data, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &politeRobotsCall{done: make(chan struct{})}
	r.inflight[origin] = call
	r.mu.Unlock()

	defer func() {
		r.mu.Lock()
		delete(r.inflight, origin)
		r.mu.Unlock()
		close(call.done)
	}()
	data, ttl, err := fetch()
	call.data, call.err = data, err
	if err == nil {
		r.put(origin, data, ttl, now())
	}
	return data, err
}

func (r *politeRobots) put(origin string, d *robotstxt.RobotsData, ttl time.Duration, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) >= politeHostsPrune {
		for k, e := range r.m {
			if now.After(e.expires) {
				delete(r.m, k)
			}
		}
	}
	r.m[origin] = politeRobotsEntry{data: d, expires: now.Add(ttl)}
}

// Health values of a source (SourceStatus.Health).
const (
	HealthOK       = "ok"
	HealthDegraded = "degraded"
	HealthBroken   = "broken"
)

// politeBreakerOpen reports whether the source's circuit breaker refuses a
// run: open after threshold consecutive failed runs, half-open (one trial
// run allowed) once cooldown has passed since the last failure.
func politeBreakerOpen(st SourceState, threshold int, cooldown time.Duration, now time.Time) bool {
	return threshold > 0 && st.ConsecutiveFailures >= threshold && now.Sub(st.LastFailure) < cooldown
}

// politeHealth classifies a source by its consecutive failures; a last
// run that had to skip input after a panic makes it degraded.
func politeHealth(st SourceState, threshold int) string {
	switch {
	case threshold > 0 && st.ConsecutiveFailures >= threshold:
		return HealthBroken
	case st.ConsecutiveFailures > 0 || st.Recovered > 0:
		return HealthDegraded
	default:
		return HealthOK
	}
}
