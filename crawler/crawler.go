package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/passerelle/passerelle/internal/clock"
	"github.com/passerelle/passerelle/internal/metrics"
	"github.com/passerelle/passerelle/jobs"
)

// DefaultUserAgent says who we are and how to reach us.
const DefaultUserAgent = "PasserelleBot/0.1 (+https://github.com/passerelle/passerelle; contact: bot@passerelle.local)"

// Runner errors callers branch on.
var (
	ErrUnknownSource  = errors.New("crawler: unknown source")
	ErrSourceRunning  = errors.New("crawler: source is already running")
	ErrBreakerOpen    = errors.New("crawler: circuit breaker open")
	ErrSourceDisabled = errors.New("crawler: source is disabled")
	// ErrTooSoon: the source's owner allows fewer runs (MinInterval).
	ErrTooSoon = errors.New("crawler: too soon for this source")
)

// Config is the crawler runtime configuration; its zero value works.
type Config struct {
	UserAgent        string        // default DefaultUserAgent
	Timeout          time.Duration // per request, default 20s
	MaxBodyBytes     int64         // default 10 MiB
	MaxRedirects     int           // default 5
	DefaultRate      float64       // requests per second per host, default 1
	MaxRetries       int           // retries on 429/5xx/network errors, default 3; < 0: none
	BreakerThreshold int           // consecutive failed runs that open the breaker, default 5
	BreakerCooldown  time.Duration // time before a half-open trial run, default 6h
	// AllowPrivate lets every source reach private addresses (tests, demo).
	AllowPrivate bool
	// PrivateAllowlist lets every source reach these non-public ranges
	// while the rest stay refused (a partner's intranet; a test server on
	// 127.0.0.1/32 in tests that check the refusal of other addresses).
	PrivateAllowlist []netip.Prefix
	// Dispatch, when set, hands each scheduled run to a shared work queue
	// (NATS stream CRAWL) instead of running it here, so several crawler
	// processes share one schedule: every process's cron dispatches the same
	// tick, the queue keeps one, and one worker runs it (see RunSource).
	Dispatch func(ctx context.Context, source string, tick time.Time) error
	// CloseAfter is how long an offer may be missing from its source's
	// listing before it is closed (Deps.Closer); default 14 days.
	CloseAfter time.Duration
	Logger     *slog.Logger // default slog.Default()
}

// DefaultCloseAfter is Config.CloseAfter's default.
const DefaultCloseAfter = 14 * 24 * time.Hour

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Timeout <= 0 {
		c.Timeout = 20 * time.Second
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 10 << 20
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = 5
	}
	if c.DefaultRate <= 0 {
		c.DefaultRate = 1
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = 3
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.BreakerThreshold <= 0 {
		c.BreakerThreshold = 5
	}
	if c.BreakerCooldown <= 0 {
		c.BreakerCooldown = 6 * time.Hour
	}
	if c.CloseAfter <= 0 {
		c.CloseAfter = DefaultCloseAfter
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Publisher publishes a normalized offer (NATS offers.new in production).
type Publisher interface {
	PublishOffer(ctx context.Context, o jobs.Offer) error
}

// OfferNormalizer turns a Posting into an Offer; jobs.Normalizer is the
// implementation used by Passerelle.
type OfferNormalizer interface {
	Normalize(p jobs.Posting) (jobs.Offer, error)
}

// Deps are the crawler's collaborators. Publisher is required; State and
// Fingerprints default to in-memory stores, Normalizer to jobs.Normalizer{}.
type Deps struct {
	Publisher    Publisher
	State        StateStore
	Fingerprints FingerprintStore
	Normalizer   OfferNormalizer
	// Registry, when set, holds the runtime changes to the sources (who
	// enabled or disabled one, sources added by officers); the crawler
	// reads it at Refresh and follows it while Run runs.
	Registry Registry
	// Closer, when set, closes the offers a source's listing stopped
	// showing (Config.CloseAfter); the crawler then keeps SourceState.Seen.
	Closer Closer
	// Closed, when set, says whether an offer was closed: a duplicate
	// whose recorded copy was closed is published in its place.
	Closed ClosedChecker
}

// ClosedChecker says whether an offer was closed (offers_closed).
type ClosedChecker interface {
	Closed(ctx context.Context, offerID string) (bool, error)
}

// Closer closes an offer that its source's crawler no longer sees
// (offers.closed in production).
type Closer interface {
	CloseOffer(ctx context.Context, offerID, source string) error
}

// RunReport says what one run of a source did.
type RunReport struct {
	Fetched     int      // documents fetched (pages and detail pages, 304 included)
	Postings    int      // postings read by the parser
	Published   int      // offers published
	Duplicates  int      // offers whose fingerprint another offer id already carries
	Skipped     int      // postings skipped: unreadable, not normalizable, unchanged detail
	Recovered   int      // documents or postings skipped because their parser or normalizer panicked
	NotModified bool     // the first page answered 304: nothing published
	Held        int      // offers held back by the source's publication delay, for a later run
	Errors      []string // what went wrong, the run may still have published

	Closed int // offers closed because the listing stopped showing them (Deps.Closer)

	heldOverflow bool     // an offer could not be held: read the listing whole next time
	seen         []string // ids of the offers the listing showed (Deps.Closer)
	partial      bool     // part of the listing was not read: close nothing
}

// SourceStatus is one line of `passerelle sources`.
type SourceStatus struct {
	Name                string    `json:"name"`
	Kind                string    `json:"kind"`
	URL                 string    `json:"url"`
	Schedule            string    `json:"schedule"`
	Enabled             bool      `json:"enabled"`
	LastRun             time.Time `json:"last_run"`
	LastSuccess         time.Time `json:"last_success"`
	OffersFound         int       `json:"offers_found"`
	Published           int       `json:"published"`
	TotalPublished      int64     `json:"total_published"`
	LastError           string    `json:"last_error,omitempty"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	// Recovered counts the documents and postings of the last run whose
	// parser or normalizer panicked (skipped, logged with the stack);
	// TotalRecovered counts them over every run.
	Recovered      int    `json:"recovered"`
	TotalRecovered int64  `json:"total_recovered"`
	Health         string `json:"health"` // ok | degraded | broken
	// Held counts offers waiting for the source's publication delay.
	Held         int    `json:"held"`
	Attribution  string `json:"attribution"`
	EmailAllowed bool   `json:"email_allowed"`
	// Terms are the owner's terms as copied onto the offers; the two
	// rules the crawler obeys itself are written as durations ("24h").
	Terms            jobs.Terms `json:"terms"`
	MinPollInterval  string     `json:"min_poll_interval,omitempty"`
	PublicationDelay string     `json:"publication_delay,omitempty"`
	Notes            string     `json:"notes,omitempty"`
	// Origin is "config" or "added" (by a placement officer, AddedBy at
	// AddedAt); EnabledBy and EnabledAt say who last enabled or disabled
	// the source at runtime.
	Origin    string    `json:"origin"`
	AddedBy   string    `json:"added_by,omitempty"`
	AddedAt   time.Time `json:"added_at,omitzero"`
	EnabledBy string    `json:"enabled_by,omitempty"`
	EnabledAt time.Time `json:"enabled_at,omitzero"`
}

// Crawler runs sources: fetch politely, parse, normalize, deduplicate,
// publish, remember.
type Crawler struct {
	cfg  Config
	log  *slog.Logger
	deps Deps

	// The sources: the validated config (base), over which the registry's
	// records (enabled or disabled by someone, added by an officer) are
	// applied; slots are the result, by name, in order.
	mu      sync.RWMutex
	base    []SourceConfig
	order   []string
	slots   map[string]*sourceSlot
	records map[string]SourceRecord
	kindOK  func(string) bool
	// resched tells a running scheduler that the sources changed.
	resched chan struct{}

	guardTransport *http.Transport
	openTransport  *http.Transport
	limiter        *politeLimiter
	robots         *politeRobots

	// Seams for tests: clock, waiting and the format registry.
	now          func() time.Time
	sleep        func(ctx context.Context, d time.Duration) error
	formatByName func(name string) (Format, bool)
	detectFormat func(doc Document) (Format, bool)
}

// sourceSlot is one source as the crawler runs it now.
type sourceSlot struct {
	cfg SourceConfig // guarded by Crawler.mu
	run sync.Mutex   // held by the run in progress: runs of a source never overlap
}

// New validates the sources and builds a Crawler.
func New(cfg Config, sources []SourceConfig, deps Deps) (*Crawler, error) {
	return newCrawler(cfg, sources, deps, FormatByName, DetectFormat)
}

func newCrawler(cfg Config, sources []SourceConfig, deps Deps,
	byName func(string) (Format, bool), detect func(Document) (Format, bool)) (*Crawler, error) {
	if deps.Publisher == nil {
		return nil, errors.New("crawler: new: Deps.Publisher is required")
	}
	if deps.Normalizer == nil {
		deps.Normalizer = jobs.Normalizer{}
	}
	if deps.State == nil {
		deps.State = NewMemState()
	}
	if deps.Fingerprints == nil {
		deps.Fingerprints = NewMemFingerprints()
	}
	kindOK := func(k string) bool {
		if k == "auto" {
			return true
		}
		_, ok := byName(k)
		return ok
	}
	srcs, err := validateSources(sources, kindOK)
	if err != nil {
		return nil, fmt.Errorf("crawler: new: %w", err)
	}
	cfg = cfg.withDefaults()
	c := &Crawler{
		cfg:            cfg,
		log:            cfg.Logger,
		deps:           deps,
		base:           srcs,
		kindOK:         kindOK,
		resched:        make(chan struct{}, 1),
		guardTransport: fetchTransport(true, cfg.Timeout, cfg.PrivateAllowlist),
		openTransport:  fetchTransport(false, cfg.Timeout, nil),
		limiter:        newPoliteLimiter(time.Now),
		robots:         newPoliteRobots(),
		now:            time.Now,
		sleep:          clock.Sleep,
		formatByName:   byName,
		detectFormat:   detect,
	}
	c.applyRecords(nil)
	return c, nil
}

// Sources returns the sources as they run now (config, defaults filled in,
// with the registry's records applied).
func (c *Crawler) Sources() []SourceConfig {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]SourceConfig, 0, len(c.order))
	for _, n := range c.order {
		out = append(out, c.slots[n].cfg)
	}
	return out
}

// Source returns the source called name as it runs now.
func (c *Crawler) Source(name string) (SourceConfig, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if sl, ok := c.slots[name]; ok {
		return sl.cfg, true
	}
	return SourceConfig{}, false
}

// slot returns the source called name and its run lock.
func (c *Crawler) slot(name string) (*sourceSlot, SourceConfig, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	sl, ok := c.slots[name]
	if !ok {
		return nil, SourceConfig{}, false
	}
	return sl, sl.cfg, true
}

// RunSource runs one source end to end: fetch its pages (and detail pages),
// parse, normalize, drop duplicates, publish, and record the run in the
// StateStore. The error is non-nil when the run failed as a whole (first
// page unreachable or unreadable, publisher down, breaker open); smaller
// problems are listed in RunReport.Errors. A run sooner than the source's
// MinInterval after the last one is refused with ErrTooSoon, whoever asks.
func (c *Crawler) RunSource(ctx context.Context, name string) (RunReport, error) {
	sl, sc, ok := c.slot(name)
	if !ok && c.deps.Registry != nil {
		// Added or renamed in another process a moment ago?
		if err := c.Refresh(ctx); err == nil {
			sl, sc, ok = c.slot(name)
		}
	}
	if !ok {
		return RunReport{}, fmt.Errorf("%w: %q", ErrUnknownSource, name)
	}
	if !sc.IsEnabled() {
		return RunReport{}, fmt.Errorf("%w: %s", ErrSourceDisabled, name)
	}
	if !sl.run.TryLock() {
		return RunReport{}, fmt.Errorf("%w: %s", ErrSourceRunning, name)
	}
	defer sl.run.Unlock()

	st, err := c.deps.State.Get(ctx, name)
	if err != nil {
		return RunReport{}, fmt.Errorf("crawler: run %s: %w", name, err)
	}
	start := c.now()
	if next, ok := tooSoon(sc, st, start); ok {
		return RunReport{}, fmt.Errorf("%w: %s allows one run every %s; next after %s",
			ErrTooSoon, name, sc.MinInterval(), next.UTC().Format(time.RFC3339))
	}
	if politeBreakerOpen(st, c.cfg.BreakerThreshold, c.cfg.BreakerCooldown, start) {
		retryAt := st.LastFailure.Add(c.cfg.BreakerCooldown)
		err := fmt.Errorf("%w: %s failed %d runs in a row; next trial after %s",
			ErrBreakerOpen, name, st.ConsecutiveFailures, retryAt.UTC().Format(time.RFC3339))
		return RunReport{Errors: []string{err.Error()}}, err
	}
	log := c.log.With("source", name)
	rep, validators, runErr := c.runSourceSafely(ctx, sc, &st, log)

	end := c.now()
	st.LastRun = end
	st.DurationMS = end.Sub(start).Milliseconds()
	st.Published = rep.Published
	st.TotalPublished += int64(rep.Published)
	st.Recovered = rep.Recovered
	st.TotalRecovered += int64(rep.Recovered)
	st.Errors = rep.Errors[:min(len(rep.Errors), stateMaxErrors)]
	st.LastError = ""
	if len(rep.Errors) > 0 {
		st.LastError = rep.Errors[0]
	}
	switch {
	case runErr != nil && ctx.Err() != nil:
		// Interrupted (shutdown): not the source's fault, and what was
		// not fully handled is fetched again next time.
		st.LastError = runErr.Error()
	case runErr != nil:
		st.ConsecutiveFailures++
		st.LastFailure = end
		st.LastError = runErr.Error()
		if len(st.Errors) == 0 {
			st.Errors = []string{runErr.Error()}
		}
	default:
		st.ConsecutiveFailures = 0
		st.LastSuccess = end
		if !rep.NotModified {
			// Unchanged listing: the detail validators of the last full
			// run stay valid, so the old map is kept whole.
			st.OffersFound = rep.Postings
			st.Validators = validators
		}
		if rep.heldOverflow {
			st.Validators = nil
		}
		if c.deps.Closer != nil {
			rep.Closed = c.closeUnseen(ctx, sc.Name, &st, &rep, end, log)
		}
	}
	// The run's outcome must be recorded even when ctx was cancelled.
	putCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := c.deps.State.Put(putCtx, name, st); err != nil {
		runErr = errors.Join(runErr, err)
	}
	metrics.OffersCrawled.WithLabelValues(name).Add(float64(rep.Postings))
	if rep.Recovered > 0 {
		metrics.Recovered.WithLabelValues("crawler:" + name).Add(float64(rep.Recovered))
	}
	if runErr != nil && ctx.Err() == nil {
		metrics.CrawlErrors.WithLabelValues(name).Inc()
	}
	log.Info("crawler: run done", "fetched", rep.Fetched, "postings", rep.Postings,
		"published", rep.Published, "duplicates", rep.Duplicates, "skipped", rep.Skipped,
		"not_modified", rep.NotModified, "held", rep.Held, "closed", rep.Closed, "errors", len(rep.Errors), "duration_ms", st.DurationMS,
		"health", politeHealth(st, c.cfg.BreakerThreshold))
	if runErr != nil {
		return rep, fmt.Errorf("crawler: run %s: %w", name, runErr)
	}
	return rep, nil
}

// runSourceSafely is runSource with a last-resort recover: a panic that no
// finer boundary caught fails this run of this source only.
func (c *Crawler) runSourceSafely(ctx context.Context, sc SourceConfig, st *SourceState, log *slog.Logger) (rep RunReport, keep map[string]Validator, err error) {
	defer func() {
		if r := recover(); r != nil {
			perr := &PanicError{Where: "run " + sc.Name, Value: r, Stack: string(debug.Stack())}
			c.notePanic(log, &rep, perr, "url", sc.URL)
			keep, err = nil, perr
		}
	}()
	return c.runSource(ctx, sc, st, log)
}

// runSource does the work of RunSource and returns the validators to keep.
// Offers held back by a publication delay live in st.Held: the due ones
// are published first, new ones are added by publishPosting.
func (c *Crawler) runSource(ctx context.Context, sc SourceConfig, st *SourceState, log *slog.Logger) (RunReport, map[string]Validator, error) {
	var rep RunReport
	keep := map[string]Validator{}
	if err := c.publishDue(ctx, sc, st, &rep, log); err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		return rep, keep, err
	}
	visited := map[string]bool{}
	details := 0
	base, _ := url.Parse(sc.URL) // validated in New
	pageURL := sc.URL
	for page := 0; page < sc.MaxPages && pageURL != "" && !visited[pageURL]; page++ {
		visited[pageURL] = true
		fail := func(err error) (RunReport, map[string]Validator, error) {
			rep.Errors = append(rep.Errors, err.Error())
			return rep, keep, err
		}
		res, err := c.fetch(ctx, fetchRequest{
			URL: pageURL, Validator: st.Validators[pageURL],
			AllowPrivate: sc.AllowPrivate, Rate: sc.RatePerSecond,
		})
		if err != nil {
			if page == 0 || ctx.Err() != nil {
				return fail(err)
			}
			rep.Errors = append(rep.Errors, err.Error())
			rep.partial = true
			break
		}
		rep.Fetched++
		if res.NotModified {
			keep[pageURL] = st.Validators[pageURL]
			if page == 0 {
				rep.NotModified = true
				log.Info("crawler: not modified", "url", pageURL)
			}
			break
		}
		doc := Document{URL: res.URL, ContentType: res.Header.Get("Content-Type"), Body: res.Body, Options: sc.Options}
		pr, err := c.parse(sc.Kind, doc)
		if errors.Is(err, ErrPanic) {
			// The document is skipped; later pages are still read.
			c.notePanic(log, &rep, err, "url", doc.URL)
			if page == 0 {
				return rep, keep, err
			}
			rep.partial = true
			pageURL = nextPage(res, sc, base, "")
			continue
		}
		if err != nil {
			if page == 0 {
				return fail(err)
			}
			rep.Errors = append(rep.Errors, err.Error())
			rep.partial = true
			break
		}
		c.logSkips(log, doc.URL, pr.Skipped)
		rep.Skipped += len(pr.Skipped)
		rep.Postings += len(pr.Postings)
		pageBase, _ := url.Parse(res.URL)
		for _, p := range pr.Postings {
			p.URL, p.ApplyURL = absURL(pageBase, p.URL), absURL(pageBase, p.ApplyURL)
			if err := ctx.Err(); err != nil {
				return fail(fmt.Errorf("crawler: run %s: %w", sc.Name, err))
			}
			var det detailOutcome
			if sc.FollowDetail {
				p, det = c.followDetail(ctx, sc, *st, p, res.URL, base, &details, &rep, log)
				if det.unchanged {
					keep[det.url] = st.Validators[det.url]
					rep.Skipped++
					c.noteSeenUnchanged(sc, p, det.url, &rep)
					continue
				}
			}
			if err := c.publishPosting(ctx, sc, st, p, &rep, log); err != nil {
				return fail(err)
			}
			if det.url != "" && !det.validator.IsZero() {
				keep[det.url] = det.validator
			}
		}
		if v := validatorOf(res.Header); !v.IsZero() {
			keep[pageURL] = v
		}
		pageURL = nextPage(res, sc, base, pr.Next)
	}
	return rep, keep, nil
}

// detailOutcome is what following a posting's detail page gave.
type detailOutcome struct {
	url       string    // the detail URL fetched, "" when none
	validator Validator // to keep once the posting is handled
	unchanged bool      // 304: an earlier run handled this posting
}

// followDetail fetches the posting's own page (same host as the listing,
// within the run's detail budget) and fills the fields the listing lacked.
func (c *Crawler) followDetail(ctx context.Context, sc SourceConfig, st SourceState, p jobs.Posting,
	pageURL string, base *url.URL, details *int, rep *RunReport, log *slog.Logger) (jobs.Posting, detailOutcome) {
	var none detailOutcome
	if p.URL == "" {
		return p, none
	}
	pu, err := url.Parse(pageURL)
	if err != nil {
		return p, none
	}
	du, err := pu.Parse(p.URL)
	if err != nil || (du.Scheme != "http" && du.Scheme != "https") || !detailHostOK(du.Host, base.Host, sc.Options) {
		return p, none
	}
	du.Fragment = ""
	if *details >= sc.MaxDetails {
		return p, none
	}
	*details++
	detailURL := du.String()
	res, err := c.fetch(ctx, fetchRequest{
		URL: detailURL, Validator: st.Validators[detailURL],
		AllowPrivate: sc.AllowPrivate, Rate: sc.RatePerSecond,
	})
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		log.Warn("crawler: detail fetch failed", "url", detailURL, "error", err)
		return p, none
	}
	rep.Fetched++
	if res.NotModified {
		return p, detailOutcome{url: detailURL, unchanged: true}
	}
	doc := Document{URL: res.URL, ContentType: res.Header.Get("Content-Type"), Body: res.Body, Options: detailOptions(sc.Options)}
	pr, err := c.parse(detailKind(sc.Options), doc)
	if errors.Is(err, ErrPanic) {
		c.notePanic(log, rep, err, "url", detailURL)
		return p, none
	}
	if err != nil || len(pr.Postings) == 0 {
		reason := "no posting on detail page"
		if err != nil {
			reason = err.Error()
		}
		log.Info("crawler: detail unreadable", "url", detailURL, "reason", reason)
		return p, none
	}
	p.URL = detailURL // absolute, even when the listing gave a relative link
	mergePosting(&p, pr.Postings[0])
	return p, detailOutcome{url: detailURL, validator: validatorOf(res.Header)}
}

// detailHostOK reports whether a detail page on host may be followed from
// a listing on listHost: the same host, or one of Options["detail_hosts"]
// (comma-separated; a careers site whose job pages live on a sibling host).
func detailHostOK(host, listHost string, opts map[string]string) bool {
	if strings.EqualFold(host, listHost) {
		return true
	}
	for h := range strings.SplitSeq(opts["detail_hosts"], ",") {
		if h = strings.TrimSpace(h); h != "" && strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// detailKind is the Format of detail pages: Options["detail_kind"], else
// "html" when detail_* selectors are configured, else "jsonld".
func detailKind(opts map[string]string) string {
	if k := opts["detail_kind"]; k != "" {
		return k
	}
	for k := range opts {
		if strings.HasPrefix(k, "detail_") && k != "detail_hosts" {
			return "html"
		}
	}
	return "jsonld"
}

// detailOptions maps detail_<x> options to <x> for the detail parser.
func detailOptions(opts map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range opts {
		if name, ok := strings.CutPrefix(k, "detail_"); ok && name != "kind" && name != "hosts" {
			out[name] = v
		}
	}
	return out
}

// mergePosting fills every zero field of dst from src; Raw is merged key
// by key. Listing values win: they were chosen by the source's config.
func mergePosting(dst *jobs.Posting, src jobs.Posting) {
	dv := reflect.ValueOf(dst).Elem()
	sv := reflect.ValueOf(src)
	for i := range dv.NumField() {
		f := dv.Field(i)
		if !f.CanSet() {
			continue
		}
		if f.Kind() == reflect.Map && !f.IsNil() && !sv.Field(i).IsNil() {
			iter := sv.Field(i).MapRange()
			for iter.Next() {
				if !f.MapIndex(iter.Key()).IsValid() {
					f.SetMapIndex(iter.Key(), iter.Value())
				}
			}
			continue
		}
		if f.IsZero() {
			f.Set(sv.Field(i))
		}
	}
}

// parse reads doc with the source's kind ("auto": detect it). A panic of a
// detector or parser is returned as a *PanicError (errors.Is ErrPanic).
func (c *Crawler) parse(kind string, doc Document) (ParseResult, error) {
	var f Format
	var ok bool
	var err error
	if kind == "auto" {
		if f, ok, err = DetectSafely(c.detectFormat, doc); err != nil {
			return ParseResult{}, err
		}
		if !ok {
			return ParseResult{}, fmt.Errorf("crawler: parse %s: no known format recognises it", doc.URL)
		}
	} else if f, ok = c.formatByName(kind); !ok {
		// An unknown detail_kind: fall back to detection.
		if f, ok, err = DetectSafely(c.detectFormat, doc); err != nil {
			return ParseResult{}, err
		}
		if !ok {
			return ParseResult{}, fmt.Errorf("crawler: parse %s: unknown format %q", doc.URL, kind)
		}
	}
	pr, err := ParseSafely(f, doc)
	if err != nil {
		if errors.Is(err, ErrPanic) {
			return ParseResult{}, err
		}
		return ParseResult{}, fmt.Errorf("crawler: parse %s as %s: %w", doc.URL, f.Name, err)
	}
	return pr, nil
}

// notePanic counts and logs a recovered panic with the input's id and the
// stack; the input was skipped.
func (c *Crawler) notePanic(log *slog.Logger, rep *RunReport, err error, attrs ...any) {
	rep.Recovered++
	rep.Errors = append(rep.Errors, err.Error())
	log.Error("crawler: input skipped after a panic", append(attrs, "error", err.Error(), "stack", PanicStack(err))...)
}

func (c *Crawler) logSkips(log *slog.Logger, docURL string, skips []Skip) {
	for _, s := range skips {
		log.Info("crawler: posting skipped", "reason", s.Reason, "index", s.Index, "url", docURL)
	}
}

// publishPosting normalizes p, applies the source's terms, holds it back
// when the source's publication delay has not passed, and publishes it
// unless another offer id already carries its fingerprint. An error means
// the run must stop (publisher or fingerprint store unavailable).
func (c *Crawler) publishPosting(ctx context.Context, sc SourceConfig, st *SourceState, p jobs.Posting, rep *RunReport, log *slog.Logger) error {
	p.Source = sc.Name
	p.Terms = sc.Terms
	o, err := NormalizeSafely(c.deps.Normalizer, p)
	if errors.Is(err, ErrPanic) {
		rep.Skipped++
		c.notePanic(log, rep, err, "url", p.URL, "source_id", p.SourceID)
		return nil
	}
	if err == nil {
		err = o.Validate()
	}
	if err != nil {
		rep.Skipped++
		log.Info("crawler: posting skipped", "reason", err.Error(), "url", p.URL, "title", p.Title)
		return nil
	}
	applyTerms(sc, &o)
	if c.deps.Closer != nil {
		rep.seen = append(rep.seen, o.ID)
	}
	if sc.PublicationDelay > 0 && c.holdBack(sc, st, o, rep, log) {
		return nil
	}
	return c.publishOffer(ctx, o, rep, log)
}

// applyTerms copies the source's terms onto the offer (whatever the
// normalizer did) and, where the owner wants applicants sent through its
// listing, points the apply link at the listing and keeps the employer's
// link in Raw.
func applyTerms(sc SourceConfig, o *jobs.Offer) {
	o.Terms = sc.Terms
	if sc.Terms.ApplyViaListing && o.URL != "" && o.ApplyURL != o.URL {
		if o.ApplyURL != "" {
			if o.Raw == nil {
				o.Raw = map[string]string{}
			}
			o.Raw["employer_apply_url"] = o.ApplyURL
		}
		o.ApplyURL = o.URL
	}
}

// publishOffer publishes a normalized offer unless another offer id
// already carries its fingerprint.
func (c *Crawler) publishOffer(ctx context.Context, o jobs.Offer, rep *RunReport, log *slog.Logger) error {
	if o.Fingerprint == "" {
		o.Fingerprint = jobs.Fingerprint(o)
	}
	if fp := o.Fingerprint; fp != "" {
		var closed func(string) bool
		if c.deps.Closed != nil {
			closed = func(id string) bool {
				ok, err := c.deps.Closed.Closed(ctx, id)
				if err != nil {
					log.Warn("crawler: could not tell whether a duplicate's first copy was closed; kept as a duplicate", "offer_id", id, "err", err)
				}
				return ok && err == nil
			}
		}
		rec, outcome, err := c.deps.Fingerprints.Claim(ctx, fp, CopyOf(o), closed)
		if err != nil {
			return fmt.Errorf("crawler: publish %s: %w", o.ID, err)
		}
		switch outcome {
		case ClaimDuplicate:
			rep.Duplicates++
			log.Info("crawler: duplicate offer", "offer_id", o.ID, "first_offer_id", rec.OfferID, "fingerprint", fp)
			return nil
		case ClaimBetter:
			// Published beside (or instead of, when closed) the recorded
			// copy: same cluster, so the graduate still gets the job once.
			log.Info("crawler: duplicate offer published: its source's terms allow more, or the first copy closed", "offer_id", o.ID,
				"first_offer_id", rec.OfferID, "fingerprint", fp, "email_allowed", o.Terms.EmailAllowed, "show_behind_signup", o.Terms.ShowBehindSignup)
		}
	}
	if err := c.deps.Publisher.PublishOffer(ctx, o); err != nil {
		return fmt.Errorf("crawler: publish %s: %w", o.ID, err)
	}
	rep.Published++
	return nil
}

// absURL resolves a relative link of a posting against the page it was
// read from; absolute, empty and unparseable values are returned as they are.
func absURL(base *url.URL, ref string) string {
	if ref == "" || base == nil {
		return ref
	}
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || r.IsAbs() {
		return ref
	}
	return base.ResolveReference(r).String()
}

// validatorOf reads the validators of a response.
func validatorOf(h http.Header) Validator {
	return Validator{ETag: h.Get("Etag"), LastModified: h.Get("Last-Modified")}
}

// nextPage finds the next page of a listing: a Link header with rel=next,
// the next page the parser read (parsed), then (HTML and XML) the
// Options["next"] selector or a rel=next link. Only http(s) URLs on the
// source's host are followed.
func nextPage(res fetchResult, sc SourceConfig, base *url.URL, parsed string) string {
	cur, err := url.Parse(res.URL)
	if err != nil {
		return ""
	}
	var cands []string
	for _, v := range res.Header.Values("Link") {
		cands = append(cands, linkHeaderNext(v)...)
	}
	if parsed != "" {
		cands = append(cands, parsed)
	}
	ct := strings.ToLower(res.Header.Get("Content-Type"))
	if len(cands) == 0 && (strings.Contains(ct, "html") || strings.Contains(ct, "xml")) {
		if d, err := goquery.NewDocumentFromReader(bytes.NewReader(res.Body)); err == nil {
			sel := sc.Options["next"]
			if sel == "" {
				sel = `link[rel~="next"], a[rel~="next"]`
			}
			// A bad selector from the config must not panic the run.
			func() {
				defer func() { _ = recover() }()
				d.Find(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
					if href, ok := s.Attr("href"); ok && strings.TrimSpace(href) != "" {
						cands = append(cands, strings.TrimSpace(href))
						return false
					}
					return true
				})
			}()
		}
	}
	for _, cand := range cands {
		n, err := cur.Parse(cand)
		if err != nil || (n.Scheme != "http" && n.Scheme != "https") || !strings.EqualFold(n.Host, base.Host) {
			continue
		}
		n.Fragment = ""
		if s := n.String(); s != res.URL {
			return s
		}
	}
	return ""
}

// linkHeaderNext returns the targets of rel="next" in an RFC 8288 Link header.
func linkHeaderNext(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		lt, gt := strings.IndexByte(part, '<'), strings.IndexByte(part, '>')
		if lt != 0 || gt < 0 {
			continue
		}
		for param := range strings.SplitSeq(part[gt+1:], ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
				continue
			}
			for rel := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(val), `"`)) {
				if strings.EqualFold(rel, "next") {
					out = append(out, part[1:gt])
				}
			}
		}
	}
	return out
}

// RunAll runs every enabled source once, a few at a time, and returns the
// failures joined. Sources whose owner's minimum interval has not passed
// since their last run are left alone, without an error.
func (c *Crawler) RunAll(ctx context.Context) error {
	const parallel = 4
	sem := make(chan struct{}, parallel)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, sc := range c.Sources() {
		if !sc.IsEnabled() {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return errors.Join(append(errs, ctx.Err())...)
		}
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			defer func() { <-sem }()
			_, err := c.RunSource(ctx, name)
			if errors.Is(err, ErrTooSoon) {
				c.log.Info("crawler: run skipped", "source", name, "reason", err.Error())
				return
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}(sc.Name)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Status reports every source with its last run, its health, its terms and
// who enabled or added it.
func (c *Crawler) Status(ctx context.Context) ([]SourceStatus, error) {
	srcs := c.Sources()
	out := make([]SourceStatus, 0, len(srcs))
	for _, sc := range srcs {
		st, err := c.deps.State.Get(ctx, sc.Name)
		if err != nil {
			return nil, fmt.Errorf("crawler: status %s: %w", sc.Name, err)
		}
		s := SourceStatus{
			Name: sc.Name, Kind: sc.Kind, URL: sc.URL, Schedule: sc.Schedule, Enabled: sc.IsEnabled(),
			Origin: OriginConfig, Notes: sc.Notes,
			LastRun: st.LastRun, LastSuccess: st.LastSuccess, OffersFound: st.OffersFound,
			Published: st.Published, TotalPublished: st.TotalPublished, LastError: st.LastError,
			ConsecutiveFailures: st.ConsecutiveFailures, Health: politeHealth(st, c.cfg.BreakerThreshold),
			Recovered: st.Recovered, TotalRecovered: st.TotalRecovered, Held: len(st.Held),
			Attribution: sc.Terms.Attribution, EmailAllowed: sc.Terms.EmailAllowed,
			Terms: sc.Terms, MinPollInterval: durationText(sc.MinInterval()), PublicationDelay: durationText(sc.PublicationDelay),
		}
		if r, ok := c.record(sc.Name); ok {
			if r.Enabled != nil {
				s.EnabledBy, s.EnabledAt = r.By, r.At
			}
			if r.Added != nil {
				s.Origin, s.AddedBy, s.AddedAt = OriginAdded, r.AddedBy, r.AddedAt
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// durationText writes a duration for people: "24h", "1h30m", "" for none.
func durationText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	s = strings.TrimSuffix(s, "0m")
	return s
}
