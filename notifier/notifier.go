// Package notifier owns e-mail alerts: it turns matches into mails (text and
// HTML templates in French, English and Arabic), honours the graduate's
// consent and alert frequency (instant, or daily/weekly digests queued in a
// KV bucket), the sources' terms (offers whose source forbids e-mail are
// never sent) and unsubscriptions, keeps the "never twice" ledger, makes the
// unsubscribe tokens and sends through SMTP (go-mail) or an .eml outbox,
// paced and pausing after repeated failures. Run consumes the MATCHES
// stream with a durable explicit-ack consumer.
package notifier

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/clock"
	"github.com/passerelle/passerelle/internal/metrics"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// ConsumerName is the durable consumer of the MATCHES stream.
const ConsumerName = "notifier"

// Config configures a Notifier; its zero value works.
type Config struct {
	// BaseURL of the web app, for unsubscribe and manage links. Default "http://127.0.0.1:8080".
	BaseURL string
	// ManageURL is the "manage alerts" page. Default BaseURL + "/alerts".
	ManageURL string
	// ManageURLFor, when set, gives each graduate a personal (signed)
	// link to their profile page instead of ManageURL.
	ManageURLFor func(profileID, locale string) string
	// OfferPageURLFor, when set, gives a graduate's personal link to an
	// offer's page on Passerelle; mails link offers that have no web link
	// of their own there.
	OfferPageURLFor func(profileID, offerID, locale string) string
	// SignupURLFor gives the signed, expiring link that confirms a
	// sign-up (address and consent chosen).
	SignupURLFor func(email, locale string, c SignupChoices) string
	// FeedbackURLFor gives the signed one-click links of an offer's 👍 / 👎
	// (verdict "up" or "down"); nil leaves them out.
	FeedbackURLFor func(profileID, offerID, verdict, locale string) string
	// From is the sender. Default "Passerelle <alertes@passerelle.local>".
	From string
	// MessageIDDomain is the right-hand side of Message-Ids. Default: the From domain.
	MessageIDDomain string
	// UnsubscribeMailto adds <mailto:ADDR?subject=unsubscribe TOKEN> to List-Unsubscribe. Default: none.
	UnsubscribeMailto string
	// Secret keys the unsubscribe tokens. Default: random per process, so
	// links die with it: set it (and give the web app the same) in production.
	Secret []byte
	// SendRate is the most mails sent per second. Default 5.
	SendRate float64
	// DomainRate is the most mails per second to one recipient domain
	// (gmail.com, …), within SendRate. Default DefaultDomainRate (2).
	DomainRate float64
	// PauseAfter consecutive transient send errors pause sending. Default 5.
	PauseAfter int
	// PauseFor is the length of that pause. Default 1 minute.
	PauseFor time.Duration
	// RetryDelay is the NakWithDelay of a transient failure. Default 30 seconds.
	RetryDelay time.Duration
	// DigestMax is the most offers in one digest. Default 10.
	DigestMax int
	// InstantWindow, when set, coalesces a graduate's instant alerts: the
	// matches that arrive within the window after the first go out in one
	// mail (FlushDigests with FrequencyInstant, run every minute). Zero
	// sends each match at once.
	InstantWindow time.Duration
	// MinScore is the lowest match score e-mailed (the quality floor).
	// Default DefaultMinScore; negative: no floor.
	MinScore float64
	// InstantPerDay is the most instant mails a graduate gets in one day
	// (Africa/Casablanca); the matches beyond wait for the next daily
	// digest. Default 3; negative: no cap. It needs a digest queue.
	InstantPerDay int
	// DigestPerCompany is the most offers of one company in one digest;
	// the others wait for the next digest. Default 2.
	DigestPerCompany int
	// HandleTimeout bounds the handling of one message; on shutdown the
	// message in hand gets this long to finish. Default 2 minutes.
	HandleTimeout time.Duration
	// StaleClaimAfter is how old a pending ledger claim must be before it
	// is taken to belong to a sender that died (give the KVLedger the
	// same). Default HandleTimeout plus one minute.
	StaleClaimAfter time.Duration
	// Health, when set, gives the health hook of each consumer.
	Health func(consumer string) bus.ConsumerHealth
	// GiveUpAfter: see bus.ConsumeConfig (default 5 minutes).
	GiveUpAfter time.Duration
	// SkillGapFor, when set, gives the skill a weekly digest suggests
	// learning (insights.SkillGaps); a zero SkillGap says none.
	SkillGapFor func(ctx context.Context, p profiles.Profile) (SkillGap, error)
	// GapMinOffers is the fewest offers a skill must open for the weekly
	// digest to mention it. Default 3.
	GapMinOffers int
	// SkillLabel names a taxonomy skill id in a locale ("" = show the id).
	SkillLabel func(id, locale string) string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Config defaults.
const (
	DefaultBaseURL       = "http://127.0.0.1:8080"
	DefaultFrom          = "Passerelle <alertes@passerelle.local>"
	DefaultSendRate      = 5
	DefaultPauseAfter    = 5
	DefaultPauseFor      = time.Minute
	DefaultRetryDelay    = 30 * time.Second
	DefaultDigestMax     = 10
	DefaultHandleTimeout = 2 * time.Minute
	DefaultInstantPerDay = 3
	// DefaultMinScore is the lowest match score e-mailed, and
	// DefaultWebMinScore the lowest shown in the web "my matches" list:
	// chosen on the evaluation sets (TestScoreFloors, README "Alerts:
	// score floors").
	DefaultMinScore    = 0.35
	DefaultWebMinScore = 0.30
)

func (c *Config) setDefaults() {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.ManageURL == "" {
		c.ManageURL = c.BaseURL + "/alerts"
	}
	if c.From == "" {
		c.From = DefaultFrom
	}
	if c.MessageIDDomain == "" {
		if a, err := mail.ParseAddress(c.From); err == nil {
			if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
				c.MessageIDDomain = a.Address[i+1:]
			}
		}
		if c.MessageIDDomain == "" {
			c.MessageIDDomain = "passerelle.local"
		}
	}
	if c.SendRate <= 0 {
		c.SendRate = DefaultSendRate
	}
	if c.DomainRate <= 0 {
		c.DomainRate = DefaultDomainRate
	}
	if c.PauseAfter <= 0 {
		c.PauseAfter = DefaultPauseAfter
	}
	if c.PauseFor <= 0 {
		c.PauseFor = DefaultPauseFor
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = DefaultRetryDelay
	}
	if c.GapMinOffers <= 0 {
		c.GapMinOffers = 3
	}
	if c.MinScore == 0 {
		c.MinScore = DefaultMinScore
	}
	if c.InstantPerDay == 0 {
		c.InstantPerDay = DefaultInstantPerDay
	}
	if c.DigestPerCompany <= 0 {
		c.DigestPerCompany = 2
	}
	if c.DigestMax <= 0 {
		c.DigestMax = DefaultDigestMax
	}
	if c.HandleTimeout <= 0 {
		c.HandleTimeout = DefaultHandleTimeout
	}
	if c.StaleClaimAfter <= 0 {
		c.StaleClaimAfter = c.HandleTimeout + time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Validate reports the first setting a user must fix (after defaults).
func (c Config) Validate() error {
	c.setDefaults()
	for name, v := range map[string]string{"BaseURL": c.BaseURL, "ManageURL": c.ManageURL} {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("notifier: %s %q must be an absolute http(s) URL", name, v)
		}
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return fmt.Errorf("notifier: From %q is not an e-mail address: %w", c.From, err)
	}
	// go-mail writes From through net/mail, whose encoding of some names
	// (a backslash beside a non-ASCII letter) no reader parses.
	if _, err := mail.ParseAddress(from.String()); err != nil {
		return fmt.Errorf("notifier: From %q: its display name cannot be written in a mail header; remove backslashes from it", c.From)
	}
	if c.UnsubscribeMailto != "" {
		if _, err := mail.ParseAddress(c.UnsubscribeMailto); err != nil {
			return fmt.Errorf("notifier: UnsubscribeMailto %q is not an e-mail address: %w", c.UnsubscribeMailto, err)
		}
	}
	if strings.ContainsAny(c.MessageIDDomain, " <>@\r\n") {
		return fmt.Errorf("notifier: MessageIDDomain %q must be a bare domain", c.MessageIDDomain)
	}
	return nil
}

// Deps are the stores and the mailer a Notifier works with.
type Deps struct {
	Mailer  Mailer      // required
	Ledger  Ledger      // required
	Digests DigestQueue // required for daily and weekly alerts
	// Unsubscribed is consulted before each mail when set.
	Unsubscribed Unsubscribed
	// Closed, when set, keeps offers closed since they matched out of
	// every mail (deliver.go).
	Closed ClosedOffers
	// NotWanted, when set, keeps out of every mail the offers a graduate
	// turned down, and the other copies of the same job (deliver.go).
	NotWanted NotWanted
	// Suppressions, when set, is the list of addresses that bounced: no
	// alert goes to them, and a refused recipient is added (deliver.go).
	Suppressions Suppressions
	// Links, when set, checks each offer's apply link just before a
	// digest goes out; dead ones are dropped (links.go, --check-links).
	Links LinkChecker

	// Quota counts the instant mails of each graduate's day (shared by
	// every notify process: KVInstantQuota); nil counts in this process.
	Quota InstantQuota
}

// ErrPaused is returned while sending is paused after repeated failures.
var ErrPaused = errors.New("notifier: sending paused after repeated failures")

// Notifier sends alert mails. Its methods are safe for concurrent use.
type Notifier struct {
	cfg    Config
	deps   Deps
	tokens Tokens
	tmpl   *templates
	log    *slog.Logger
	now    func() time.Time

	mu          sync.Mutex
	nextSend    time.Time
	failures    int
	pausedUntil time.Time

	domainMu     sync.Mutex
	nextByDomain map[string]time.Time // per recipient domain (paceTo)
}

// New returns a Notifier; cfg defaults are filled.
func New(cfg Config, deps Deps) (*Notifier, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Mailer == nil || deps.Ledger == nil {
		return nil, errors.New("notifier: a Mailer and a Ledger are required")
	}
	if len(cfg.Secret) == 0 {
		cfg.Secret = make([]byte, 32)
		_, _ = rand.Read(cfg.Secret)
		cfg.Logger.Warn("notifier: no secret configured; unsubscribe links will stop working after a restart")
	}
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if deps.Quota == nil {
		deps.Quota = &memQuota{}
	}
	return &Notifier{cfg: cfg, deps: deps, tokens: NewTokens(cfg.Secret), tmpl: t, log: cfg.Logger, now: time.Now}, nil
}

// Tokens returns the unsubscribe token maker/checker (for the web app).
func (n *Notifier) Tokens() Tokens { return n.tokens }

// Paused reports whether sending is paused, and until when.
func (n *Notifier) Paused() (time.Time, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.pausedUntil, n.now().Before(n.pausedUntil)
}

// HandleMatch decides what to do with one match for p: nothing (no consent,
// alerts off, unsubscribed, source forbids e-mail, already sent), send now
// (instant) or queue for the digest (daily, weekly). An error wrapping
// ErrPermanent means the match can never be handled; any other error is
// worth a retry.
func (n *Notifier) HandleMatch(ctx context.Context, m matcher.Match, p profiles.Profile) error {
	if m.ProfileID == "" || m.OfferID == "" {
		return Permanent(errors.New("notifier: match without profile_id or offer_id"))
	}
	if p.ID != "" && p.ID != m.ProfileID {
		return Permanent(fmt.Errorf("notifier: match for %s given profile %s", m.ProfileID, p.ID))
	}
	p.ID = m.ProfileID
	log := n.log.With("profile_id", m.ProfileID, "offer_id", m.OfferID)
	freq := p.Alerts.Frequency
	if freq == "" {
		freq = profiles.FrequencyDaily
	}
	if skip := n.skipReason(ctx, m, p, freq); skip != "" {
		log.Info("notifier: match not e-mailed", "reason", skip)
		return nil
	}
	if unsub, err := n.unsubscribed(ctx, p.ID); err != nil {
		return err
	} else if unsub {
		log.Info("notifier: match not e-mailed", "reason", "unsubscribed")
		return nil
	}
	if skip, err := n.skipDelivery(ctx, m.OfferID, p.Email); err != nil {
		return err
	} else if skip != "" {
		log.Info("notifier: match not e-mailed", "reason", skip)
		return nil
	}
	if no, err := n.notWanted(ctx, p.ID, m); err != nil {
		return err
	} else if no {
		log.Info("notifier: match not e-mailed", "reason", "the graduate turned this job down")
		return nil
	}
	switch freq {
	case profiles.FrequencyInstant:
		if n.cfg.InstantWindow > 0 && n.deps.Digests != nil {
			// Coalesced: the matches of the window go out in one mail
			// (FlushInstant).
			if err := n.deps.Digests.Add(ctx, freq, Pending{Match: m, Profile: p, QueuedAt: n.now()}); err != nil {
				return err
			}
			log.Debug("notifier: instant alert held for coalescing", "window", n.cfg.InstantWindow)
			return nil
		}
		_, over, err := n.sendCapped(ctx, p, []matcher.Match{m}, freq, nil)
		if len(over) > 0 {
			// Today's instant mails are all used: the match waits for
			// the next daily digest.
			if qerr := n.deps.Digests.Add(ctx, profiles.FrequencyDaily, Pending{Match: m, Profile: p, QueuedAt: n.now()}); qerr != nil {
				return errors.Join(qerr, err)
			}
			log.Info("notifier: instant mails of the day used up; the match waits for the next daily digest", "per_day", n.cfg.InstantPerDay)
		}
		return err
	case profiles.FrequencyDaily, profiles.FrequencyWeekly:
		if n.deps.Digests == nil {
			return Permanent(fmt.Errorf("notifier: %s alert for %s but no digest queue configured", freq, p.ID))
		}
		if err := n.deps.Digests.Add(ctx, freq, Pending{Match: m, Profile: p, QueuedAt: n.now()}); err != nil {
			return err
		}
		log.Debug("notifier: match queued for digest", "frequency", freq)
		return nil
	}
	return Permanent(fmt.Errorf("notifier: profile %s has unknown alert frequency %q", p.ID, freq))
}

// skipReason says why a match must not be e-mailed ("" = it may be).
func (n *Notifier) skipReason(_ context.Context, m matcher.Match, p profiles.Profile, freq string) string {
	switch {
	case !p.Consent.Alerts:
		return "no consent to alerts"
	case freq == profiles.FrequencyOff:
		return "alerts off"
	case p.Alerts.AlertsPaused(n.now()):
		return "alerts paused until " + p.Alerts.PausedUntil
	case strings.TrimSpace(p.Email) == "":
		return "profile has no e-mail address"
	case m.Offer == nil:
		return "match carries no offer, so the source's terms cannot be checked"
	case !m.Offer.Terms.EmailAllowed:
		return "source terms forbid e-mailing its offers"
	case m.Offer.Expired(n.now()):
		return "offer expired"
	case m.Score < n.cfg.MinScore:
		return fmt.Sprintf("score %.2f below the mail floor %.2f", m.Score, n.cfg.MinScore)
	}
	return ""
}

func (n *Notifier) unsubscribed(ctx context.Context, profileID string) (bool, error) {
	if n.deps.Unsubscribed == nil {
		return false, nil
	}
	return n.deps.Unsubscribed.Unsubscribed(ctx, profileID)
}

// errInFlight: another sender holds a fresh claim on an alert of this
// mail; the caller looks again later (it may have died).
var errInFlight = errors.New("notifier: alert being sent by another sender")

// held is a match with this sender's ledger claim on it.
type held struct {
	m     matcher.Match
	claim Claim
}

// send claims each match in the ledger (pending, with the Message-Id of the
// mail to be sent), sends one mail with the matches claimed and marks them
// sent once SMTP accepted it; a failed send releases them. Matches whose
// stale claim this sender took over go out again in a mail of their own,
// with the Message-Id of the mail that may already have reached the
// graduate. It returns an error wrapping errInFlight, after sending the
// rest, when another sender holds a fresh claim on one of ms.
func (n *Notifier) send(ctx context.Context, p profiles.Profile, ms []matcher.Match, freq string) error {
	_, _, err := n.sendCapped(ctx, p, ms, freq, nil)
	return err
}

// sendCapped is send where capFn (when set) chooses, among the matches
// not sent before, those the mail carries; the others are released and
// returned, to wait for the next mail. The cap therefore applies after
// the never-twice check: a digest is not short while offers wait. An
// instant mail also takes one of the graduate's slots of the day
// (InstantPerDay); when none is left, its matches are released and
// returned in overQuota, for the caller to queue for the daily digest.
func (n *Notifier) sendCapped(ctx context.Context, p profiles.Profile, ms []matcher.Match, freq string,
	capFn func([]held) (keep, rest []held)) (deferred, overQuota []matcher.Match, err error) {
	if until, paused := n.Paused(); paused {
		return nil, nil, fmt.Errorf("%w (until %s)", ErrPaused, until.Format(time.RFC3339))
	}
	msgID := messageID(p.ID, ms, n.cfg.MessageIDDomain)
	groups := map[string][]held{} // Message-Id -> matches its mail carries
	var order []string
	var inFlight []string
	release := func(hs []held) {
		for _, h := range hs {
			if err := n.deps.Ledger.Release(context.WithoutCancel(ctx), p.ID, alertKey(h.m), h.claim); err != nil {
				n.log.Error("notifier: release ledger claim", "profile_id", p.ID, "offer_id", h.m.OfferID, "error", err)
			}
		}
	}
	releaseAll := func() {
		for _, id := range order {
			release(groups[id])
		}
	}
	for _, m := range ms {
		c, err := n.deps.Ledger.Claim(ctx, p.ID, alertKey(m), msgID)
		if err != nil {
			releaseAll()
			return nil, nil, err
		}
		switch c.State {
		case AlreadySent:
			n.log.Info("notifier: alert already sent", "profile_id", p.ID, "offer_id", m.OfferID)
			continue
		case InFlight:
			inFlight = append(inFlight, m.OfferID)
			continue
		case TakenOver:
			n.log.Warn("notifier: taking over an alert whose sender died before confirming it; sending it again with its Message-Id",
				"profile_id", p.ID, "offer_id", m.OfferID, "message_id", c.MessageID)
		}
		if _, ok := groups[c.MessageID]; !ok {
			order = append(order, c.MessageID)
		}
		groups[c.MessageID] = append(groups[c.MessageID], held{m, c})
	}
	if capFn != nil && len(groups[msgID]) > 0 {
		keep, rest := capFn(groups[msgID])
		release(rest)
		for _, h := range rest {
			deferred = append(deferred, h.m)
		}
		if len(keep) == 0 {
			delete(groups, msgID)
			order = slices.DeleteFunc(order, func(o string) bool { return o == msgID })
		} else {
			groups[msgID] = keep
		}
	}
	drop := func(id string) {
		delete(groups, id)
		order = slices.DeleteFunc(order, func(o string) bool { return o == id })
	}
	// The daily cap of instant mails: taken-over mails are resends and
	// keep the slot their first sending took.
	quotaDay := ""
	if freq == profiles.FrequencyInstant && n.cfg.InstantPerDay > 0 && n.deps.Digests != nil && len(groups[msgID]) > 0 {
		day := alertDay(n.now())
		ok, err := n.deps.Quota.Reserve(ctx, p.ID, day, msgID, n.cfg.InstantPerDay)
		if err != nil {
			releaseAll()
			return nil, nil, err
		}
		if ok {
			quotaDay = day
		} else {
			release(groups[msgID])
			for _, h := range groups[msgID] {
				overQuota = append(overQuota, h.m)
			}
			drop(msgID)
		}
	}
	// Mails of taken-over claims first: they are the oldest.
	slices.SortStableFunc(order, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case b == msgID:
			return -1
		case a == msgID:
			return 1
		}
		return strings.Compare(a, b)
	})
	for i, id := range order {
		if err := n.sendGroup(ctx, p, groups[id], id, freq); err != nil {
			for _, rest := range order[i:] {
				release(groups[rest])
			}
			if quotaDay != "" && slices.Contains(order[i:], msgID) {
				if qerr := n.deps.Quota.Release(context.WithoutCancel(ctx), p.ID, quotaDay, msgID); qerr != nil {
					n.log.Error("notifier: release instant quota slot", "profile_id", p.ID, "error", qerr)
				}
			}
			return nil, overQuota, err
		}
	}
	if len(inFlight) > 0 {
		return deferred, overQuota, fmt.Errorf("%w: %s for %s", errInFlight, strings.Join(inFlight, ", "), p.ID)
	}
	return deferred, overQuota, nil
}

// sendGroup sends one mail with Message-Id id carrying hs and marks them
// sent. The caller releases the claims when it fails.
func (n *Notifier) sendGroup(ctx context.Context, p profiles.Profile, hs []held, id, freq string) error {
	ms := make([]matcher.Match, len(hs))
	for i, h := range hs {
		ms[i] = h.m
	}
	var extra mailExtra
	if freq == profiles.FrequencyWeekly && n.cfg.SkillGapFor != nil {
		// The gap is a bonus: a failure to compute it never holds a digest.
		g, err := n.cfg.SkillGapFor(ctx, p)
		switch {
		case err != nil:
			n.log.Warn("notifier: skill gap for the weekly digest", "profile_id", p.ID, "error", err)
		case g.Skill != "" && g.Opens >= n.cfg.GapMinOffers:
			extra.gap = &g
		}
	}
	msg, err := n.compose(p, ms, freq, extra)
	if err != nil {
		return err
	}
	msg.MessageID = id
	if err := n.paceTo(ctx, p.Email); err != nil {
		return err
	}
	start := n.now()
	if err := n.deps.Mailer.Send(ctx, msg); err != nil {
		n.noteRejected(ctx, p.Email, p.ID, err)
		n.recordFailure(err)
		metrics.AlertsFailed.WithLabelValues(freq).Inc()
		return fmt.Errorf("notifier: send to %s: %w", p.ID, err)
	}
	n.recordSuccess()
	metrics.AlertsSent.WithLabelValues(freq).Inc()
	// The mail is out: a failure to record it now would at worst repeat
	// it (same Message-Id) once the claim goes stale.
	var errs []error
	for _, h := range hs {
		if err := n.deps.Ledger.Sent(context.WithoutCancel(ctx), p.ID, alertKey(h.m), h.claim); err != nil {
			errs = append(errs, err)
		}
	}
	n.log.Info("notifier: alert sent", "profile_id", p.ID, "offers", len(hs), "frequency", freq,
		"message_id", id, "duration_ms", n.now().Sub(start).Milliseconds())
	if len(errs) > 0 {
		n.log.Error("notifier: sent alert not recorded as sent", "profile_id", p.ID, "message_id", id, "error", errors.Join(errs...))
	}
	return nil
}

// pace waits for the next send slot (SendRate per second).
func (n *Notifier) pace(ctx context.Context) error {
	interval := time.Duration(float64(time.Second) / n.cfg.SendRate)
	n.mu.Lock()
	now := n.now()
	at := n.nextSend
	if at.Before(now) {
		at = now
	}
	n.nextSend = at.Add(interval)
	n.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("notifier: wait for send slot: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

func (n *Notifier) recordSuccess() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.failures = 0
}

func (n *Notifier) recordFailure(err error) {
	if errors.Is(err, ErrPermanent) {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.failures++
	if n.failures >= n.cfg.PauseAfter {
		n.pausedUntil = n.now().Add(n.cfg.PauseFor)
		n.failures = 0
		n.log.Warn("notifier: pausing after repeated send failures", "pause_ms", n.cfg.PauseFor.Milliseconds(), "error", err)
	}
}

// FlushDigests sends one digest per profile with the matches queued for
// frequency (daily or weekly) before now, best first, within the caps
// (DigestMax, DigestPerCompany; what they leave waits for the next one);
// expired ones are dropped. For FrequencyInstant it sends the held instant
// alerts of each graduate whose oldest has waited InstantWindow. A profile
// whose send fails keeps its queue for the next flush.
func (n *Notifier) FlushDigests(ctx context.Context, frequency string, now time.Time) error {
	return n.flushDigests(ctx, frequency, now, nil)
}

// flushDigests is FlushDigests calling progress (when set) after each
// profile, so a long run keeps its work-queue message.
func (n *Notifier) flushDigests(ctx context.Context, frequency string, now time.Time, progress func()) error {
	if frequency != profiles.FrequencyDaily && frequency != profiles.FrequencyWeekly && frequency != profiles.FrequencyInstant {
		return fmt.Errorf("notifier: flush digests: frequency must be instant, daily or weekly, not %q", frequency)
	}
	if n.deps.Digests == nil {
		return errors.New("notifier: flush digests: no digest queue configured")
	}
	all, err := n.deps.Digests.List(ctx, frequency)
	if err != nil {
		return err
	}
	byProfile := map[string][]Pending{}
	for _, p := range all {
		if p.QueuedAt.After(now) {
			continue
		}
		byProfile[p.Match.ProfileID] = append(byProfile[p.Match.ProfileID], p)
	}
	if frequency == profiles.FrequencyInstant {
		// A graduate's held instant alerts go out once the oldest has
		// waited the coalescing window: one mail for all of them.
		for id, es := range byProfile {
			oldest := es[0].QueuedAt
			for _, e := range es[1:] {
				if e.QueuedAt.Before(oldest) {
					oldest = e.QueuedAt
				}
			}
			if now.Sub(oldest) < n.cfg.InstantWindow {
				delete(byProfile, id)
			}
		}
	}
	ids := make([]string, 0, len(byProfile))
	for id := range byProfile {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	var errs []error
	sent := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		err := n.flushOne(ctx, frequency, byProfile[id], now)
		if progress != nil {
			progress()
		}
		if err == nil {
			sent++
			continue
		}
		errs = append(errs, err)
		if errors.Is(err, ErrPaused) {
			break
		}
	}
	n.log.Info("notifier: digests flushed", "frequency", frequency, "profiles", len(ids), "sent", sent, "failed", len(errs))
	return errors.Join(errs...)
}

func (n *Notifier) flushOne(ctx context.Context, frequency string, entries []Pending, now time.Time) error {
	latest := entries[0]
	for _, e := range entries[1:] {
		if e.QueuedAt.After(latest.QueuedAt) {
			latest = e
		}
	}
	p := latest.Profile
	p.ID = latest.Match.ProfileID
	remove := func(es []Pending) error {
		var errs []error
		for _, e := range es {
			if err := n.deps.Digests.Remove(ctx, frequency, p.ID, e.Match.OfferID); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	if skip := n.skipProfile(p); skip != "" {
		n.log.Info("notifier: digest dropped", "profile_id", p.ID, "reason", skip)
		return remove(entries)
	}
	if unsub, err := n.unsubscribed(ctx, p.ID); err != nil {
		return err
	} else if unsub {
		n.log.Info("notifier: digest dropped", "profile_id", p.ID, "reason", "unsubscribed")
		return remove(entries)
	}
	if sup, err := n.suppressed(ctx, p.Email); err != nil {
		return err
	} else if sup {
		n.log.Info("notifier: digest dropped", "profile_id", p.ID, "reason", "address suppressed")
		return remove(entries)
	}
	var ms []matcher.Match
	for _, e := range entries {
		if reason := n.skipReason(ctx, e.Match, p, frequency); reason == "" {
			ms = append(ms, e.Match)
		}
	}
	// Closed offers and dead apply links leave the digest (and the queue).
	ms, err := n.freshOnly(ctx, p.ID, ms)
	if err != nil {
		return err
	}
	sortMatches(ms)
	var deferred, over []matcher.Match
	if len(ms) > 0 {
		var err error
		if deferred, over, err = n.sendCapped(ctx, p, ms, frequency, n.digestCap); err != nil {
			return err
		}
	}
	if len(deferred) > 0 {
		n.log.Info("notifier: digest capped; the rest waits for the next one", "profile_id", p.ID, "waiting", len(deferred))
	}
	waiting := map[string]bool{}
	for _, m := range deferred {
		waiting[m.OfferID] = true
	}
	// Held instant alerts beyond the day's instant mails move to the
	// daily digest queue (removed from this one only once there).
	for _, m := range over {
		if err := n.deps.Digests.Add(ctx, profiles.FrequencyDaily, Pending{Match: m, Profile: p, QueuedAt: now}); err != nil {
			n.log.Error("notifier: move an alert to the daily digest", "profile_id", p.ID, "offer_id", m.OfferID, "error", err)
			waiting[m.OfferID] = true
		}
	}
	if len(over) > 0 {
		n.log.Info("notifier: instant mails of the day used up; alerts wait for the next daily digest", "profile_id", p.ID, "moved", len(over))
	}
	return remove(slices.DeleteFunc(slices.Clone(entries), func(e Pending) bool { return waiting[e.Match.OfferID] }))
}

// digestCap keeps, best first, at most DigestMax offers and at most
// DigestPerCompany from one company (case and spacing ignored; offers
// without a company are not grouped).
func (n *Notifier) digestCap(hs []held) (keep, rest []held) {
	per := map[string]int{}
	for _, h := range hs {
		co := strings.Join(strings.Fields(strings.ToLower(h.m.Company)), " ")
		if co == "" && h.m.Offer != nil {
			co = strings.Join(strings.Fields(strings.ToLower(h.m.Offer.Company)), " ")
		}
		if len(keep) >= n.cfg.DigestMax || (co != "" && per[co] >= n.cfg.DigestPerCompany) {
			rest = append(rest, h)
			continue
		}
		per[co]++
		keep = append(keep, h)
	}
	return keep, rest
}

// skipProfile applies the profile-level checks of skipReason.
func (n *Notifier) skipProfile(p profiles.Profile) string {
	switch {
	case !p.Consent.Alerts:
		return "no consent to alerts"
	case p.Alerts.Frequency == profiles.FrequencyOff:
		return "alerts off"
	case p.Alerts.AlertsPaused(n.now()):
		return "alerts paused until " + p.Alerts.PausedUntil
	case strings.TrimSpace(p.Email) == "":
		return "profile has no e-mail address"
	}
	return ""
}

// Lookup finds a profile by id; it returns an error wrapping
// profiles.ErrNotFound for an unknown one.
type Lookup func(ctx context.Context, id string) (profiles.Profile, error)

// Run consumes the MATCHES stream with the durable explicit-ack consumer
// "notifier" until ctx is cancelled, one message per fetch (bus.ConsumeWith):
// ack on success, NakWithDelay on a transient error (SMTP down, store
// unavailable; at least until a pause ends), Term on a permanent one (bad
// JSON, unknown profile) after a copy is kept in the DEAD stream. While
// sending is paused it fetches nothing. On cancel the message in hand is
// finished (within HandleTimeout) before Run returns nil.
func (n *Notifier) Run(ctx context.Context, js jetstream.JetStream, lookup Lookup) error {
	n.log.Info("notifier: consuming", "stream", bus.StreamMatches, "consumer", ConsumerName)
	err := bus.Consume(ctx, js, bus.ConsumeConfig{
		Stream:      bus.StreamMatches,
		Durable:     ConsumerName,
		Description: "notifier: e-mail alerts",
		Filter:      bus.SubjectMatchesAll,
		// A match handled by a process that died comes back once the
		// handler's bound has passed, with a margin for the ack (at most
		// 30 s; as long as the bound itself when it is shorter, so that
		// a short --ack-wait means a short recovery).
		AckWait:       n.cfg.HandleTimeout + min(30*time.Second, n.cfg.HandleTimeout),
		HandleTimeout: n.cfg.HandleTimeout,
		MaxDeliver:    -1, // an SMTP outage can last; nothing is given up
		MaxAckPending: 64,
		RetryDelay:    n.cfg.RetryDelay,
		// One message at a time: nothing sits in a client buffer at shutdown.
		Batch:       1,
		Logger:      n.log,
		JS:          js,
		Health:      n.health(ConsumerName),
		GiveUpAfter: n.cfg.GiveUpAfter,
		BeforeFetch: func(ctx context.Context) error {
			if until, paused := n.Paused(); paused {
				return clock.Sleep(ctx, until.Sub(n.now()))
			}
			return nil
		},
	}, func(ctx context.Context, msg jetstream.Msg) error {
		return n.process(ctx, msg, lookup)
	})
	n.log.Info("notifier: stopped", "consumer", ConsumerName)
	return err
}

// health is the health hook of consumer (nil without Config.Health).
func (n *Notifier) health(consumer string) bus.ConsumerHealth {
	if n.cfg.Health == nil {
		return nil
	}
	return n.cfg.Health(consumer)
}

// process handles one message of the MATCHES stream; its error says what
// bus.ConsumeWith does with the message.
func (n *Notifier) process(ctx context.Context, msg jetstream.Msg, lookup Lookup) error {
	var m matcher.Match
	if err := json.Unmarshal(msg.Data(), &m); err != nil {
		return bus.Permanent(fmt.Errorf("bad match JSON: %w", err))
	}
	if m.ProfileID == "" || m.OfferID == "" {
		return bus.Permanent(errors.New("match without profile_id or offer_id"))
	}
	p, err := lookup(ctx, m.ProfileID)
	if errors.Is(err, profiles.ErrNotFound) {
		return bus.Permanent(fmt.Errorf("unknown profile %q: %w", m.ProfileID, err))
	}
	if err != nil {
		return n.retry(fmt.Errorf("profile %q: %w", m.ProfileID, err))
	}
	err = n.HandleMatch(ctx, m, p)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errInFlight):
		// Look again once the other sender's claim could have gone stale.
		return bus.RetryAfter(err, n.cfg.StaleClaimAfter+time.Second)
	case errors.Is(err, ErrPermanent):
		return bus.Permanent(fmt.Errorf("permanent failure for %s → %s: %w", m.OfferID, m.ProfileID, err))
	default:
		return n.retry(fmt.Errorf("match %s → %s: %w", m.OfferID, m.ProfileID, err))
	}
}

// retry asks for a redelivery after RetryDelay, or after the pause when
// sending is paused for longer.
func (n *Notifier) retry(err error) error {
	delay := n.cfg.RetryDelay
	if until, paused := n.Paused(); paused {
		if d := until.Sub(n.now()); d > delay {
			delay = d
		}
	}
	return bus.RetryAfter(err, delay)
}
