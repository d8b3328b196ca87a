package crawler

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/passerelle/passerelle/jobs"
)

// Defaults of a SourceConfig; written here so the zero value of every field
// has a documented meaning.
const (
	DefaultSchedule   = "@every 1h"
	DefaultMaxPages   = 10
	DefaultMaxDetails = 100
	// MaxPublicRate bounds RatePerSecond for sources on public hosts: no
	// configuration may make Passerelle hammer someone else's server.
	MaxPublicRate = 5.0
	// hard upper bounds so a typo cannot make one run unbounded.
	maxPagesLimit   = 1000
	maxDetailsLimit = 10000
)

// ErrInvalidSource is wrapped by every sources-config validation error.
var ErrInvalidSource = errors.New("crawler: invalid source")

// SourceConfig is one configured source. JSON field names (snake_case) are
// the config file format; durations are Go duration strings ("90m").
type SourceConfig struct {
	// Name identifies the source (offer ids, state keys, logs): lower-case
	// letters, digits, '-' and '_'.
	Name string `json:"name"`
	// Kind is a Format name (see Formats) or "auto" to detect it per document.
	Kind string `json:"kind"`
	// URL is the first page, feed or API endpoint (http or https).
	URL string `json:"url"`
	// Options are passed to the parser (CSS selectors, board token, ...).
	// Runtime options read by the crawler itself:
	//   "next"        CSS selector of the next-page link (besides rel=next
	//                 links and Link headers, which are always followed);
	//   "detail_kind" Format used for detail pages when FollowDetail is set
	//                 (default "jsonld", or "html" when detail_* selectors exist).
	Options map[string]string `json:"options,omitempty"`
	// Schedule is a robfig/cron spec ("@every 2h", "0 */6 * * *");
	// default "@every 1h".
	Schedule string `json:"schedule,omitempty"`
	// Jitter delays each scheduled run by a random duration in [0, Jitter)
	// so that sources sharing a schedule do not fire together. Default 0.
	Jitter time.Duration `json:"-"`
	// RatePerSecond is the request rate to this source's hosts; 0 uses
	// Config.DefaultRate. At most MaxPublicRate unless AllowPrivate.
	RatePerSecond float64 `json:"rate_per_second,omitempty"`
	// Terms are the owner's terms, copied onto every offer: attribution
	// (name and site), whether offers may be e-mailed, whether the apply
	// button must lead to the listing, whether they may be shown behind a
	// sign-in. In the config file the "terms" object also carries the two
	// rules the crawler itself obeys, MinPollInterval and PublicationDelay.
	Terms jobs.Terms `json:"terms"`
	// MinPollInterval ("terms.min_poll_interval") is the shortest interval
	// between two runs the owner allows (Himalayas: once a day; Jobicy:
	// at most hourly). Neither the scheduler, nor a restart, nor another
	// crawler process runs the source sooner (see MinInterval).
	MinPollInterval time.Duration `json:"-"`
	// PublicationDelay ("terms.publication_delay") holds each offer back
	// until its posted_at (or, without one, the time it was first seen)
	// plus the delay; held offers are kept in the source's state and
	// published by a later run, even if the listing no longer shows them.
	PublicationDelay time.Duration `json:"-"`
	// PollCap is the operator's own minimum interval between two runs,
	// kept for existing config files; the effective floor is the larger of
	// PollCap and MinPollInterval. Default 0.
	PollCap time.Duration `json:"-"`
	// MaxPages bounds the pages followed per run (rel=next, Link header,
	// Options["next"]); default 10.
	MaxPages int `json:"max_pages,omitempty"`
	// FollowDetail makes the crawler fetch each posting's URL (same host
	// only, rate limited) and merge what the detail page says into the
	// listing's posting.
	FollowDetail bool `json:"follow_detail,omitempty"`
	// MaxDetails bounds the detail pages fetched per run; default 100.
	MaxDetails int `json:"max_details,omitempty"`
	// Enabled defaults to true when absent.
	Enabled *bool `json:"enabled,omitempty"`
	// AllowPrivate lets this source reach private, loopback and link-local
	// addresses. Only for tests and the built-in demo site.
	AllowPrivate bool `json:"allow_private,omitempty"`
	// Notes are free text for humans (why these terms, what is uncertain).
	Notes string `json:"notes,omitempty"`
}

// sourceJSON carries the duration fields as strings, and the terms with
// the crawler's own two rules.
type sourceJSON struct {
	sourceAlias
	Jitter  string    `json:"jitter,omitempty"`
	PollCap string    `json:"poll_cap,omitempty"`
	Terms   termsJSON `json:"terms"` // shadows sourceAlias.Terms
}

type sourceAlias SourceConfig

// termsJSON is the "terms" object of the config file.
type termsJSON struct {
	jobs.Terms
	MinPollInterval  string `json:"min_poll_interval,omitempty"`
	PublicationDelay string `json:"publication_delay,omitempty"`
}

// UnmarshalJSON reads durations written as Go duration strings.
func (s *SourceConfig) UnmarshalJSON(b []byte) error {
	var aux sourceJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	out := SourceConfig(aux.sourceAlias)
	out.Terms = aux.Terms.Terms
	var err error
	if out.Jitter, err = parseDurationField(aux.Jitter); err != nil {
		return fmt.Errorf("jitter: %w", err)
	}
	if out.PollCap, err = parseDurationField(aux.PollCap); err != nil {
		return fmt.Errorf("poll_cap: %w", err)
	}
	if out.MinPollInterval, err = parseDurationField(aux.Terms.MinPollInterval); err != nil {
		return fmt.Errorf("terms.min_poll_interval: %w", err)
	}
	if out.PublicationDelay, err = parseDurationField(aux.Terms.PublicationDelay); err != nil {
		return fmt.Errorf("terms.publication_delay: %w", err)
	}
	*s = out
	return nil
}

// MarshalJSON writes durations as Go duration strings.
func (s SourceConfig) MarshalJSON() ([]byte, error) {
	aux := sourceJSON{sourceAlias: sourceAlias(s), Terms: termsJSON{Terms: s.Terms}}
	if s.Jitter != 0 {
		aux.Jitter = s.Jitter.String()
	}
	if s.PollCap != 0 {
		aux.PollCap = s.PollCap.String()
	}
	if s.MinPollInterval != 0 {
		aux.Terms.MinPollInterval = s.MinPollInterval.String()
	}
	if s.PublicationDelay != 0 {
		aux.Terms.PublicationDelay = s.PublicationDelay.String()
	}
	return json.Marshal(aux)
}

// MinInterval is the shortest time allowed between two runs of the
// source: the owner's MinPollInterval or the operator's PollCap, whichever
// is longer.
func (s SourceConfig) MinInterval() time.Duration { return max(s.MinPollInterval, s.PollCap) }

func parseDurationField(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return d, nil
}

// IsEnabled reports whether the source runs (Enabled absent means yes).
func (s SourceConfig) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

// withDefaults returns s with zero fields replaced by their defaults.
func (s SourceConfig) withDefaults() SourceConfig {
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	if s.MaxPages == 0 {
		s.MaxPages = DefaultMaxPages
	}
	if s.MaxDetails == 0 {
		s.MaxDetails = DefaultMaxDetails
	}
	return s
}

//go:embed sources.default.json
var defaultSourcesJSON []byte

var sourceNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// cronParser accepts standard 5-field specs and descriptors (@every, @hourly).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// LoadSources reads a sources config file; path "" loads the embedded
// default set. Every source is validated and defaults are filled in; errors
// name the source and the field.
func LoadSources(path string) ([]SourceConfig, error) {
	data := defaultSourcesJSON
	origin := "embedded default sources"
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("crawler: read sources %s: %w", path, err)
		}
		data, origin = b, path
	}
	srcs, err := parseSources(data, knownKind)
	if err != nil {
		return nil, fmt.Errorf("crawler: load %s: %w", origin, err)
	}
	return srcs, nil
}

// knownKind reports whether kind names a registered Format or "auto".
func knownKind(kind string) bool {
	if kind == "auto" {
		return true
	}
	_, ok := FormatByName(kind)
	return ok
}

func parseSources(data []byte, kindOK func(string) bool) ([]SourceConfig, error) {
	var f struct {
		Sources []json.RawMessage `json:"sources"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSource, err)
	}
	srcs := make([]SourceConfig, 0, len(f.Sources))
	var errs []error
	for i, raw := range f.Sources {
		var s SourceConfig
		if err := json.Unmarshal(raw, &s); err != nil {
			var named struct {
				Name string `json:"name"`
			}
			_ = json.Unmarshal(raw, &named)
			errs = append(errs, fmt.Errorf("source %d %q: %w: %w", i, named.Name, ErrInvalidSource, err))
			continue
		}
		srcs = append(srcs, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return validateSources(srcs, kindOK)
}

// validateSources checks every source, fills defaults and rejects
// duplicate names.
func validateSources(in []SourceConfig, kindOK func(string) bool) ([]SourceConfig, error) {
	out := make([]SourceConfig, 0, len(in))
	seen := make(map[string]bool, len(in))
	var errs []error
	for i, s := range in {
		s = s.withDefaults()
		if err := validateSource(s, kindOK); err != nil {
			errs = append(errs, fmt.Errorf("source %d %q: %w", i, s.Name, err))
			continue
		}
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("source %d %q: %w: name: is used twice", i, s.Name, ErrInvalidSource))
			continue
		}
		seen[s.Name] = true
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// validateSource checks one source whose defaults are already filled in.
func validateSource(s SourceConfig, kindOK func(string) bool) error {
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidSource, field, fmt.Sprintf(format, a...))
	}
	if !sourceNameRE.MatchString(s.Name) {
		return bad("name", "must be 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit")
	}
	if s.Kind == "" {
		return bad("kind", "is required (a format name or \"auto\")")
	}
	if !kindOK(s.Kind) {
		return bad("kind", "unknown kind %q", s.Kind)
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("url", "must be an absolute http(s) URL, got %q", s.URL)
	}
	if u.User != nil {
		return bad("url", "must not carry credentials")
	}
	if _, err := cronParser.Parse(s.Schedule); err != nil {
		return bad("schedule", "%q is not a cron spec: %v", s.Schedule, err)
	}
	switch {
	case s.RatePerSecond < 0:
		return bad("rate_per_second", "must not be negative")
	case s.RatePerSecond > MaxPublicRate && !s.AllowPrivate:
		return bad("rate_per_second", "must be at most %g for public hosts", MaxPublicRate)
	case s.MaxPages < 0 || s.MaxPages > maxPagesLimit:
		return bad("max_pages", "must be between 1 and %d", maxPagesLimit)
	case s.MaxDetails < 0 || s.MaxDetails > maxDetailsLimit:
		return bad("max_details", "must be between 1 and %d", maxDetailsLimit)
	case s.Jitter < 0:
		return bad("jitter", "must not be negative")
	case s.PollCap < 0:
		return bad("poll_cap", "must not be negative")
	case s.MinPollInterval < 0 || s.MinPollInterval > maxTermsDuration:
		return bad("terms.min_poll_interval", "must be between 0 and %s", maxTermsDuration)
	case s.PublicationDelay < 0 || s.PublicationDelay > maxTermsDuration:
		return bad("terms.publication_delay", "must be between 0 and %s", maxTermsDuration)
	case strings.TrimSpace(s.Terms.Attribution) == "" && !s.AllowPrivate:
		return bad("terms.attribution", "is required: say whom the offers come from")
	}
	if a := s.Terms.AttributionURL; a != "" {
		au, err := url.Parse(a)
		if err != nil || (au.Scheme != "http" && au.Scheme != "https") || au.Host == "" {
			return bad("terms.attribution_url", "must be an absolute http(s) URL, got %q", a)
		}
	}
	return nil
}

// maxTermsDuration bounds the terms' durations, so a typo ("240h0m" for
// "24h") cannot silence a source for months.
const maxTermsDuration = 30 * 24 * time.Hour
