// Package app wires Passerelle's components into one process (the embedded
// default, `passerelle run`) or into one component per process (production:
// crawl, match, notify, serve against a NATS cluster, Meilisearch and SMTP).
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/passerelle/passerelle/web"
)

// Component names, for Config.Components.
const (
	Crawl  = "crawl"
	Match  = "match"
	Notify = "notify"
	Serve  = "serve"
)

// Config is everything a process needs; its zero value runs the embedded
// default (all components, data under ./passerelle-data).
type Config struct {
	// DataDir holds JetStream data, the embedded profile index, the outbox
	// and the secrets. Default "passerelle-data".
	DataDir string
	// HTTPAddr is where the web server listens. Default "127.0.0.1:8080".
	HTTPAddr string
	// BaseURL is the public URL used in e-mail links. Default http://<HTTPAddr>.
	BaseURL string
	// NATSURL empty runs an embedded NATS server (JetStream on disk under
	// DataDir/nats); otherwise "nats://host:4222[,nats://…]".
	NATSURL string
	// NATSReplicas for streams and KV buckets on a cluster. Default 1.
	NATSReplicas int
	// MeiliURL empty uses the embedded Bleve store under DataDir/profiles.
	MeiliURL string
	MeiliKey string
	// SMTPURL empty writes each e-mail as an .eml file under DataDir/outbox.
	SMTPURL string
	// MailFrom defaults to "Passerelle <alertes@passerelle.local>".
	MailFrom string
	// SourcesFile replaces the embedded default sources when set.
	SourcesFile string
	// Demo serves the built-in sample job site and seeds sample graduates.
	Demo bool
	// RecruiterTokens and OfficerTokens map bearer tokens to names.
	RecruiterTokens map[string]string
	OfficerTokens   map[string]string
	// Secret signs unsubscribe links; default: generated once and kept in
	// DataDir/secret.
	Secret string
	// Components to run; nil = all (the embedded default); an empty non-nil
	// list runs none (CLI tools that only need the stores and NATS).
	Components []string
	// NoCrawlOnStart skips the first crawl of every source at start (the
	// scheduler still runs).
	NoCrawlOnStart bool
	// AllowPrivate lets sources fetch private and loopback addresses (tests, demo).
	AllowPrivate bool
	// Instance names this process's durable consumers where each process
	// needs its own (profile events). Default "main".
	Instance string
	// AckWait, when set, is how long a message held by a process that
	// died stays with it before another process (or its restart) gets it
	// again: the matcher's and notifier's ack wait, and (twice it) the age
	// at which a sender's pending ledger claim is taken over. Default:
	// each component's own (30 s for offers, 2 min for mails).
	AckWait time.Duration
	// InstantWindow coalesces instant alerts: a graduate's matches within
	// the window after the first go out in one mail. Zero sends each at
	// once (tests, the demo); the command's default is 10 minutes.
	InstantWindow time.Duration
	// InstantPerDay is the most instant mails a graduate gets in one day;
	// the matches beyond wait for the next daily digest. Default 3
	// (notifier.DefaultInstantPerDay); negative: no cap.
	InstantPerDay int
	// GiveUpAfter is how long a component keeps trying to (re)create its
	// consumer before the process exits non-zero for its supervisor to
	// restart it; /healthz says 503 after half of it. Default 5 minutes.
	GiveUpAfter time.Duration
	// CloseAfter closes an offer its source's listing has not shown for
	// this long (offers.closed). Default 14 days.
	CloseAfter time.Duration
	// CheckLinks checks each offer's link (HEAD, politely, cached) just
	// before a digest goes out and leaves out dead ones (404, 410, host
	// gone). Off by default.
	CheckLinks bool
	// DKIMKeyFile, DKIMSelector and DKIMDomain sign every mail with DKIM
	// when all three are set (PEM RSA or Ed25519 private key).
	DKIMKeyFile, DKIMSelector, DKIMDomain string
	// SendRate is the most mails per second (default 5); DomainRate the
	// most per second to one recipient domain (default 2).
	SendRate, DomainRate float64
	Logger               *slog.Logger
}

func (c *Config) setDefaults() {
	if c.DataDir == "" {
		c.DataDir = "passerelle-data"
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = "127.0.0.1:8080"
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.HTTPAddr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.NATSReplicas <= 0 {
		c.NATSReplicas = 1
	}
	if c.MailFrom == "" {
		c.MailFrom = "Passerelle <alertes@passerelle.local>"
	}
	if c.Components == nil {
		c.Components = []string{Crawl, Match, Notify, Serve}
	}
	if c.Instance == "" {
		c.Instance = "main"
	}
	if c.GiveUpAfter <= 0 {
		c.GiveUpAfter = 5 * time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.DataDir = filepath.Clean(c.DataDir)
}

// Validate reports settings a user must fix, in words they can act on.
func (c *Config) Validate() error {
	var errs []error
	for _, comp := range c.Components {
		switch comp {
		case Crawl, Match, Notify, Serve:
		default:
			errs = append(errs, fmt.Errorf("unknown component %q (use crawl, match, notify or serve)", comp))
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("--http %q: want host:port, e.g. 127.0.0.1:8080", c.HTTPAddr))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--base-url %q: want an absolute http(s) URL", c.BaseURL))
	}
	if c.MeiliURL != "" {
		if u, err := url.Parse(c.MeiliURL); err != nil || u.Host == "" {
			errs = append(errs, fmt.Errorf("--meili %q: want a URL such as http://127.0.0.1:7700", c.MeiliURL))
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--smtp %q: want smtp://[user:pass@]host:port or smtps://…", c.SMTPURL))
		}
	}
	for _, set := range []struct {
		env    string
		tokens map[string]string
	}{{"PASSERELLE_RECRUITER_TOKENS", c.RecruiterTokens}, {"PASSERELLE_OFFICER_TOKENS", c.OfficerTokens}} {
		for tok, name := range set.tokens {
			if len(tok) < web.MinTokenLen {
				errs = append(errs, fmt.Errorf("%s: the token of %q has %d characters; use at least %d random ones (e.g. `openssl rand -hex 16`)", set.env, name, len(tok), web.MinTokenLen))
			}
		}
	}
	if (c.DKIMKeyFile != "" || c.DKIMSelector != "" || c.DKIMDomain != "") && (c.DKIMKeyFile == "" || c.DKIMSelector == "" || c.DKIMDomain == "") {
		errs = append(errs, errors.New("--dkim-key, --dkim-selector and --dkim-domain go together: set all three, or none"))
	}
	if c.SendRate < 0 || c.DomainRate < 0 {
		errs = append(errs, errors.New("--send-rate and --domain-rate must be positive (mails per second)"))
	}
	if c.NATSURL != "" && !strings.Contains(c.NATSURL, "://") {
		errs = append(errs, fmt.Errorf("--nats %q: want nats://host:4222", c.NATSURL))
	}
	return errors.Join(errs...)
}

func (c *Config) has(comp string) bool {
	for _, x := range c.Components {
		if x == comp {
			return true
		}
	}
	return false
}

// ParseTokens reads "token=name,token2=name2" (or bare tokens, named
// "recruiter-1", …) from an environment variable's value.
func ParseTokens(s, prefix string) map[string]string {
	out := map[string]string{}
	i := 0
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i++
		tok, name, ok := strings.Cut(part, "=")
		if !ok || name == "" {
			name = fmt.Sprintf("%s-%d", prefix, i)
		}
		out[strings.TrimSpace(tok)] = strings.TrimSpace(name)
	}
	return out
}
