package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// CheckReport is what a check of one source found: may we read it (robots.txt
// for our User-Agent), what its page answered, how many postings it gave and
// how many are open to a graduate in Morocco, a sample of them (the dry
// run), and the owner's terms to confirm by hand.
type CheckReport struct {
	Source string `json:"source"`
	URL    string `json:"url"`
	Kind   string `json:"kind"` // the configured kind, or the one detected on the page
	// Robots: the robots.txt URL, its HTTP status (0: unreachable), whether
	// it lets our User-Agent fetch URL, its Crawl-delay, and a note when it
	// was missing, broken or unreadable.
	RobotsURL    string `json:"robots_url"`
	RobotsStatus int    `json:"robots_status"`
	RobotsNote   string `json:"robots_note,omitempty"`
	Allowed      bool   `json:"allowed"`
	CrawlDelay   string `json:"crawl_delay,omitempty"`
	// Status is the HTTP status of the page (0: not fetched).
	Status int `json:"status"`
	// Postings read, offers normalized, and offers open to Morocco (remote
	// and eligible from Morocco, or located in Morocco).
	Postings      int           `json:"postings"`
	Offers        int           `json:"offers"`
	OpenToMorocco int           `json:"open_to_morocco"`
	Sample        []SampleOffer `json:"sample,omitempty"`
	// Checklist lists the owner's terms as the source records them, for a
	// person to confirm against the owner's own pages.
	Checklist []CheckItem `json:"checklist"`
	// Problems say what stops the source, in English for logs and the CLI;
	// Codes name the same problems (Problem*) for pages to translate.
	Problems []string `json:"problems,omitempty"`
	Codes    []string `json:"codes,omitempty"`
	// OK: robots.txt allows us, the page was read and gave postings.
	OK bool `json:"ok"`
}

// SampleOffer is one offer as a dry run shows it.
type SampleOffer struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Company       string   `json:"company"`
	URL           string   `json:"url"`
	Workplace     string   `json:"workplace"`
	Places        []string `json:"places,omitempty"`
	OpenToMorocco bool     `json:"open_to_morocco"`
}

// CheckItem is one line of the terms checklist: Key names the rule
// (attribution, attribution_url, email_allowed, apply_via_listing,
// show_behind_signup, min_poll_interval, publication_delay, schedule,
// notes); Value is what the source records.
type CheckItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Problem codes of a CheckReport.
const (
	ProblemBadURL            = "bad_url"
	ProblemPrivateAddress    = "private_address"
	ProblemRobotsUnreachable = "robots_unreachable"
	ProblemRobotsDisallowed  = "robots_disallowed"
	ProblemTooSoon           = "too_soon"
	ProblemHTTPStatus        = "http_status"
	ProblemFetchFailed       = "fetch_failed"
	ProblemNoFormat          = "no_format"
	ProblemUnreadable        = "unreadable"
	ProblemNoPostings        = "no_postings"
	ProblemNotNormalized     = "not_normalized"
)

// CheckOptions tune a check.
type CheckOptions struct {
	// Force fetches the page even within the owner's minimum poll interval.
	Force bool
	// Sample is the number of offers the report lists (default 10).
	Sample int
}

// ErrCheckFailed is wrapped by AddSource's refusal after a failed check.
var ErrCheckFailed = errors.New("crawler: source check failed")

// sampleDefault is CheckOptions.Sample's default.
const sampleDefault = 10

// Check reads robots.txt and one page (or API answer) of the source called
// name, enabled or not, without publishing anything: for an operator who
// confirms a source before enabling it. The page fetch counts against the
// owner's minimum poll interval like a run; within it, only robots.txt is
// read unless opt.Force.
func (c *Crawler) Check(ctx context.Context, name string, opt CheckOptions) (CheckReport, error) {
	sc, ok := c.Source(name)
	if !ok {
		return CheckReport{}, fmt.Errorf("%w: %q", ErrUnknownSource, name)
	}
	st, err := c.deps.State.Get(ctx, name)
	if err != nil {
		return CheckReport{}, fmt.Errorf("crawler: check %s: %w", name, err)
	}
	skipPage := ""
	if next, soon := tooSoon(sc, st, c.now()); soon && !opt.Force {
		skipPage = fmt.Sprintf("page not fetched: the owner allows one request every %s and the source was read less than that ago; next after %s",
			durationText(sc.MinInterval()), next.UTC().Format(time.RFC3339))
	}
	rep := c.check(ctx, sc, opt, skipPage)
	if rep.Status != 0 {
		// Counted against the owner's interval; another process's write
		// in between is not worth a retry loop.
		if st, err := c.deps.State.Get(ctx, name); err == nil {
			st.LastCheck = c.now()
			if err := c.deps.State.Put(ctx, name, st); err != nil {
				c.log.Warn("crawler: record check", "source", name, "error", err)
			}
		}
	}
	return rep, nil
}

// check does the work of Check for any source config.
func (c *Crawler) check(ctx context.Context, sc SourceConfig, opt CheckOptions, skipPage string) CheckReport {
	rep := CheckReport{Source: sc.Name, URL: sc.URL, Kind: sc.Kind, Checklist: checklist(sc)}
	problem := func(code, format string, a ...any) {
		rep.Problems = append(rep.Problems, fmt.Sprintf(format, a...))
		rep.Codes = append(rep.Codes, code)
	}
	u, err := url.Parse(sc.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problem(ProblemBadURL, "the address must be an absolute http(s) URL")
		return rep
	}
	allowPrivate := sc.AllowPrivate || c.cfg.AllowPrivate
	if !allowPrivate {
		if err := guardResolve(ctx, c.cfg.PrivateAllowlist, u.Hostname()); err != nil {
			code := ProblemFetchFailed
			if errors.Is(err, ErrPrivateAddress) {
				code = ProblemPrivateAddress
			}
			problem(code, "%v", err)
			return rep
		}
	}
	rate := sc.RatePerSecond
	if rate <= 0 {
		rate = c.cfg.DefaultRate
	}
	origin := u.Scheme + "://" + u.Host
	rep.RobotsURL = origin + "/robots.txt"
	rb, err := c.fetchRobotsOnce(ctx, origin, allowPrivate, rate, true)
	if err != nil {
		problem(ProblemRobotsUnreachable, "robots.txt could not be read: %v", err)
		return rep
	}
	c.robots.put(origin, rb.data, rb.ttl, c.now())
	rep.RobotsStatus = rb.status
	switch {
	case rb.status >= 500:
		rep.RobotsNote = fmt.Sprintf("robots.txt answered HTTP %d: everything is disallowed until it answers again (RFC 9309)", rb.status)
	case rb.status >= 400:
		rep.RobotsNote = fmt.Sprintf("no robots.txt (HTTP %d): no rules, everything is allowed", rb.status)
	case rb.unreadable:
		rep.RobotsNote = "robots.txt could not be parsed: read as no rules"
	}
	rep.Allowed = rb.data.TestAgent(robotsPath(u), c.cfg.UserAgent)
	if g := rb.data.FindGroup(c.cfg.UserAgent); g != nil && g.CrawlDelay > 0 {
		rep.CrawlDelay = durationText(g.CrawlDelay)
	}
	if !rep.Allowed {
		problem(ProblemRobotsDisallowed, "robots.txt disallows %s for our User-Agent", robotsPath(u))
		return rep
	}
	if skipPage != "" {
		problem(ProblemTooSoon, "%s", skipPage)
		return rep
	}

	res, err := c.fetch(ctx, fetchRequest{URL: sc.URL, AllowPrivate: allowPrivate, Rate: sc.RatePerSecond, noRetry: true})
	var httpErr *HTTPError
	switch {
	case errors.As(err, &httpErr):
		rep.Status = httpErr.Status
		problem(ProblemHTTPStatus, "the page answered HTTP %d %s", httpErr.Status, http.StatusText(httpErr.Status))
		return rep
	case err != nil:
		code := ProblemFetchFailed
		if errors.Is(err, ErrPrivateAddress) {
			code = ProblemPrivateAddress
		}
		problem(code, "the page could not be fetched: %v", err)
		return rep
	}
	rep.Status = res.Status
	doc := Document{URL: res.URL, ContentType: res.Header.Get("Content-Type"), Body: res.Body, Options: sc.Options}
	kind := sc.Kind
	if kind == "" || kind == "auto" {
		f, ok, err := DetectSafely(c.detectFormat, doc)
		if err != nil || !ok {
			problem(ProblemNoFormat, "no job postings in a supported format were found on this page (JSON-LD JobPosting, RSS/Atom, a job board or ATS API…)")
			return rep
		}
		kind = f.Name
		rep.Kind = kind
	}
	pr, err := c.parse(kind, doc)
	if err != nil {
		problem(ProblemUnreadable, "the page could not be read as %s: %v", kind, err)
		return rep
	}
	rep.Postings = len(pr.Postings)
	if rep.Postings == 0 {
		problem(ProblemNoPostings, "the page was read as %s but gave no posting", kind)
		return rep
	}
	n := opt.Sample
	if n <= 0 {
		n = sampleDefault
	}
	pageBase, _ := url.Parse(res.URL)
	for _, p := range pr.Postings {
		p.URL, p.ApplyURL = absURL(pageBase, p.URL), absURL(pageBase, p.ApplyURL)
		p.Source, p.Terms = sc.Name, sc.Terms
		o, err := NormalizeSafely(c.deps.Normalizer, p)
		if err == nil {
			err = o.Validate()
		}
		if err != nil {
			continue
		}
		applyTerms(sc, &o)
		rep.Offers++
		open := OpenToMorocco(o)
		if open {
			rep.OpenToMorocco++
		}
		if len(rep.Sample) < n {
			rep.Sample = append(rep.Sample, sampleOf(o, open))
		}
	}
	if rep.Offers == 0 {
		problem(ProblemNotNormalized, "%d postings were read but none could be normalized into an offer", rep.Postings)
		return rep
	}
	rep.OK = true
	return rep
}

// OpenToMorocco reports whether a graduate living in Morocco can take the
// offer: remote and eligible from Morocco, or located in Morocco.
func OpenToMorocco(o jobs.Offer) bool {
	if o.Workplace == jobs.Remote && o.Eligibility.Admits("MA") {
		return true
	}
	return slices.ContainsFunc(o.Locations, func(l jobs.Location) bool { return l.Country == "MA" })
}

func sampleOf(o jobs.Offer, open bool) SampleOffer {
	s := SampleOffer{ID: o.ID, Title: o.Title, Company: o.Company, URL: o.URL, Workplace: string(o.Workplace), OpenToMorocco: open}
	for _, l := range o.Locations {
		var parts []string
		for _, p := range []string{l.City, l.Region, l.Country} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			s.Places = append(s.Places, strings.Join(parts, ", "))
		}
	}
	return s
}

// checklist writes the source's terms as rules to confirm by hand.
func checklist(sc SourceConfig) []CheckItem {
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	none := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	t := sc.Terms
	return []CheckItem{
		{"attribution", none(t.Attribution)},
		{"attribution_url", none(t.AttributionURL)},
		{"email_allowed", yesNo(t.EmailAllowed)},
		{"apply_via_listing", yesNo(t.ApplyViaListing)},
		{"show_behind_signup", yesNo(t.ShowBehindSignup)},
		{"min_poll_interval", none(durationText(sc.MinInterval()))},
		{"publication_delay", none(durationText(sc.PublicationDelay))},
		{"schedule", sc.Schedule},
		{"notes", none(sc.Notes)},
	}
}
