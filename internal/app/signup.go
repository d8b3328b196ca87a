package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/web"
)

// RequestSignup queues the sign-up confirmation mail (the notifier sends
// it through its outbox, known address or not: the page says the same).
func (a *App) RequestSignup(ctx context.Context, c web.SignupClaim) error {
	email := strings.TrimSpace(c.Email)
	if email == "" {
		return nil
	}
	return notifier.RequestSignup(ctx, a.js, email, c.Locale,
		notifier.SignupChoices{Alerts: c.Alerts, Searchable: c.Searchable, Recruiters: c.Recruiters}, time.Now())
}

// signupURL is the confirmation link of a sign-up, for the notifier.
func (a *App) signupURL(email, locale string, c notifier.SignupChoices) string {
	tok := a.signupLinks.Make(web.SignupClaim{Email: email, Locale: locale,
		Alerts: c.Alerts, Searchable: c.Searchable, Recruiters: c.Recruiters})
	return a.cfg.BaseURL + web.SignupLinkPath(tok, locale)
}

// ConfirmSignup applies a confirmed sign-up: the profile with the address
// (an officer's import) now belongs to the graduate, whose consent choices
// replace the school's, its other data kept; or a new profile is created.
// A link confirmed already (the graduate's own consent recorded since it
// was issued) answers web.ErrSignupUsed.
func (a *App) ConfirmSignup(ctx context.Context, c web.SignupClaim) (string, error) {
	now := time.Now().UTC()
	consent := profiles.Consent{Alerts: c.Alerts, Searchable: c.Searchable, Recruiters: c.Recruiters,
		SetBy: profiles.SetByGraduate, SetAt: &now}
	used := func(p *profiles.Profile) bool {
		return p.Consent.SetBy == profiles.SetByGraduate && p.Consent.SetAt != nil && !p.Consent.SetAt.Before(c.Issued.Truncate(time.Second))
	}
	id := ""
	p, err := a.repo.ByEmail(ctx, c.Email)
	switch {
	case err == nil:
		id = p.ID
	case errors.Is(err, profiles.ErrNotFound):
		id = "g-" + strings.ToLower(rand.Text()[:12])
	default:
		return "", err
	}
	saved, err := a.repo.Update(ctx, id, func(cur *profiles.Profile) (profiles.Profile, error) {
		if cur == nil {
			loc := c.Locale
			if loc == "" {
				loc = "fr"
			}
			return profiles.Profile{ID: id, Email: c.Email, Locale: loc, Consent: consent, Source: profiles.SourceSelf,
				Alerts: profiles.Alerts{Frequency: profiles.FrequencyDaily, SetBy: profiles.SetByGraduate}}, nil
		}
		if !strings.EqualFold(cur.Email, c.Email) {
			return profiles.Profile{}, fmt.Errorf("sign-up of %s: the profile's address changed meanwhile", id)
		}
		if used(cur) {
			return profiles.Profile{}, web.ErrSignupUsed
		}
		next := *cur
		next.Consent = consent
		next.Source = profiles.SourceSelf
		next.Alerts.SetBy = profiles.SetByGraduate
		if next.Alerts.Frequency == "" {
			next.Alerts.Frequency = profiles.FrequencyDaily
		}
		return next, nil
	})
	if err != nil {
		return "", err
	}
	if saved.Consent.Alerts {
		if err := a.alerts.Unsubscribes.Resubscribe(ctx, saved.ID); err != nil {
			return "", err
		}
	}
	// The link reached the mailbox: an earlier bounce no longer holds.
	if err := a.alerts.Suppressions.Clear(ctx, c.Email); err != nil {
		return "", err
	}
	a.log.Info("sign-up confirmed", "profile_id", saved.ID, "alerts", c.Alerts, "searchable", c.Searchable, "recruiters", c.Recruiters)
	return saved.ID, nil
}
