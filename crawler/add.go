package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// AddRequest asks to add a source at runtime: a school's partner company's
// career page (a page with JSON-LD job postings, a feed, an ATS board…),
// given by a placement officer.
type AddRequest struct {
	URL  string // the careers page, feed or API address
	Name string // optional; derived from the address when empty
	Kind string // optional; "" or "auto" detects it on the page
	By   string // who adds it (required, recorded)
	// EmailAllowed: the company agrees that its offers are e-mailed to
	// graduates (default no: they are shown on the web only).
	EmailAllowed bool
	// DryRun checks and reads the page without adding anything.
	DryRun bool
}

// Defaults of an added source: polite, and never more than a few pages.
const (
	addedSchedule    = "@every 12h"
	addedJitter      = 30 * time.Minute
	addedMinInterval = 6 * time.Hour
	addedMaxPages    = 3
	addedMaxDetails  = 50
)

// AddSource checks a source given by an officer exactly as an operator's
// check does (private addresses refused, robots.txt, one page read, kind
// detected, postings normalized) and, unless req.DryRun or the check
// failed, records it in the registry, enabled: every crawler process
// schedules it without a restart. The report is the dry run: what the
// source would give. A failed check returns ErrCheckFailed with the report.
func (c *Crawler) AddSource(ctx context.Context, req AddRequest) (CheckReport, error) {
	if c.deps.Registry == nil && !req.DryRun {
		return CheckReport{}, errors.New("crawler: no sources registry to add the source to")
	}
	by := strings.TrimSpace(req.By)
	if by == "" {
		return CheckReport{}, fmt.Errorf("%w: say who adds the source", ErrInvalidSource)
	}
	sc, err := c.addedConfig(req)
	if err != nil {
		return CheckReport{}, err
	}
	if err := c.Refresh(ctx); err != nil {
		return CheckReport{}, err
	}
	if _, taken := c.Source(sc.Name); taken {
		return CheckReport{Source: sc.Name, URL: sc.URL}, fmt.Errorf("%w: %q; choose another name", ErrNameTaken, sc.Name)
	}
	rep := c.check(ctx, sc, CheckOptions{}, "")
	if !rep.OK {
		return rep, fmt.Errorf("%w: %s", ErrCheckFailed, strings.Join(rep.Problems, "; "))
	}
	sc.Kind = rep.Kind // the detected kind, so later runs read the page the same way
	if len(rep.Sample) > 0 {
		if co := mostCommonCompany(rep.Sample); co != "" {
			sc.Terms.Attribution = co
		}
	}
	now := c.now().UTC()
	sc.Notes = fmt.Sprintf("Added by %s on %s from a placement officer's request: a partner company's careers page. "+
		"At the check: robots.txt allowed our User-Agent, %d postings read as %s, %d open to Morocco. "+
		"E-mail allowed only if the company agreed (%v).", by, now.Format("2006-01-02"), rep.Postings, rep.Kind, rep.OpenToMorocco, req.EmailAllowed)
	rep.Checklist = checklist(sc)
	if req.DryRun {
		return rep, nil
	}
	if err := validateSource(sc, c.kindOK); err != nil {
		return rep, err
	}
	rec := SourceRecord{Name: sc.Name, Enabled: boolPtr(true), By: by, At: now, Added: &sc, AddedBy: by, AddedAt: now}
	if err := c.deps.Registry.Put(ctx, rec); err != nil {
		return rep, err
	}
	c.log.Info("crawler: source added", "source", sc.Name, "url", sc.URL, "kind", sc.Kind, "by", by)
	return rep, c.Refresh(ctx)
}

// addedConfig builds the config of an added source from the request.
func (c *Crawler) addedConfig(req AddRequest) (SourceConfig, error) {
	raw := strings.TrimSpace(req.URL)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return SourceConfig{}, fmt.Errorf("%w: url: give the full address of the careers page (https://…)", ErrInvalidSource)
	}
	u.Fragment = ""
	kind := strings.TrimSpace(req.Kind)
	if kind == "" {
		kind = "auto"
	}
	sc := SourceConfig{
		Kind: kind, URL: u.String(),
		Schedule: addedSchedule, Jitter: addedJitter, MinPollInterval: addedMinInterval,
		MaxPages: addedMaxPages, MaxDetails: addedMaxDetails,
		Terms: jobs.Terms{
			Attribution:      u.Hostname(),
			AttributionURL:   u.Scheme + "://" + u.Host,
			EmailAllowed:     req.EmailAllowed,
			ShowBehindSignup: true,
		},
	}
	if kind == "auto" {
		if api, apiKind, opts, ok := careerPageAPI(u); ok {
			sc.URL, sc.Kind, sc.Options = api, apiKind, opts
			if apiKind == smartrecruitersPagesKind {
				sc.FollowDetail = true
			}
		}
	}
	sc.Name = strings.TrimSpace(req.Name)
	if sc.Name == "" {
		sc.Name = nameFromURL(u)
	}
	if !sourceNameRE.MatchString(sc.Name) {
		return SourceConfig{}, fmt.Errorf("%w: name: %q must be lower-case letters, digits, '-' or '_'", ErrInvalidSource, sc.Name)
	}
	if !c.kindOK(sc.Kind) {
		return SourceConfig{}, fmt.Errorf("%w: kind: unknown kind %q", ErrInvalidSource, sc.Kind)
	}
	return sc.withDefaults(), nil
}

// careerTokenRE is what an ATS accepts as a board token.
var careerTokenRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// careerPageAPI maps the public careers page of a known ATS to the answer
// that carries its postings, so an officer can paste the page people see.
func careerPageAPI(u *url.URL) (api, kind string, opts map[string]string, ok bool) {
	host := strings.ToLower(u.Hostname())
	first := strings.Split(strings.Trim(u.Path, "/"), "/")[0]
	esc := url.PathEscape(first)
	valid := careerTokenRE.MatchString(first)
	switch {
	case (host == "boards.greenhouse.io" || host == "job-boards.greenhouse.io") && valid:
		return "https://boards-api.greenhouse.io/v1/boards/" + esc + "/jobs?content=true", "greenhouse", nil, true
	case host == "jobs.lever.co" && valid:
		return "https://api.lever.co/v0/postings/" + esc + "?mode=json", "lever", nil, true
	case host == "jobs.ashbyhq.com" && valid:
		return "https://api.ashbyhq.com/posting-api/job-board/" + esc + "?includeCompensation=true", "ashby", nil, true
	case host == "apply.workable.com" && valid && first != "api":
		return "https://apply.workable.com/api/v1/widget/accounts/" + esc + "?details=true", "workable", nil, true
	case strings.HasSuffix(host, ".recruitee.com") && host != "api.recruitee.com":
		return "https://" + host + "/api/offers/", "recruitee", nil, true
	case (host == "careers.smartrecruiters.com" || host == "jobs.smartrecruiters.com") && valid:
		// The API host's robots.txt shuts robots out; the job pages carry
		// JSON-LD. The listing is on careers.…, the pages on jobs.….
		return "https://careers.smartrecruiters.com/" + esc, smartrecruitersPagesKind,
			map[string]string{"detail_kind": "jsonld", "detail_hosts": "jobs.smartrecruiters.com"}, true
	}
	return "", "", nil, false
}

// nameFromURL derives a source name from an address: the ATS token or the
// site's main label, plus "-careers".
func nameFromURL(u *url.URL) string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	label := host
	labels := strings.Split(host, ".")
	if len(labels) >= 2 {
		label = labels[len(labels)-2]
		if len(labels) >= 3 && len(label) <= 3 { // co.ma, com.tn
			label = labels[len(labels)-3]
		}
	}
	switch label {
	case "greenhouse", "lever", "ashbyhq", "workable", "smartrecruiters":
		if first := strings.Split(strings.Trim(u.Path, "/"), "/")[0]; first != "" {
			label = first
		}
	case "recruitee":
		label = labels[0]
	}
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == '_' || r == '.':
			if b.Len() > 0 {
				b.WriteByte('-')
			}
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "partner"
	}
	if len(name) > 40 {
		name = name[:40]
	}
	return name + "-careers"
}

// mostCommonCompany is the company most sample offers name.
func mostCommonCompany(s []SampleOffer) string {
	count := map[string]int{}
	best := ""
	for _, o := range s {
		if o.Company == "" {
			continue
		}
		count[o.Company]++
		if count[o.Company] > count[best] {
			best = o.Company
		}
	}
	return best
}
