package app

import (
	"context"
	"strings"
	"time"

	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// SaveProfile stores a profile edited by its graduate on the web page and
// announces it. Turning alerts back on lifts an earlier unsubscription.
func (a *App) SaveProfile(ctx context.Context, p profiles.Profile) error {
	// The graduate chose these: from now on they manage the profile, and
	// no officer's import overwrites their consent or alert settings.
	now := time.Now().UTC()
	p.Source = profiles.SourceSelf
	p.Consent.SetBy, p.Consent.SetAt = profiles.SetByGraduate, &now
	p.Alerts.SetBy = profiles.SetByGraduate
	if p.Consent.Alerts && p.Alerts.Frequency != profiles.FrequencyOff {
		if err := a.alerts.Unsubscribes.Resubscribe(ctx, p.ID); err != nil {
			return err
		}
	}
	// The graduate came through the personal link mailed to them: the
	// address works, whatever bounced before.
	if p.Email != "" {
		if err := a.alerts.Suppressions.Clear(ctx, p.Email); err != nil {
			return err
		}
	}
	return a.PutProfiles(ctx, []profiles.Profile{p})
}

// SendProfileLink queues a profile-link mail for the graduate with this
// address (the notifier looks the address up and sends it, or not, through
// its outbox: an SMTP outage or a crash delays it, loses nothing). The
// answer is the same whether or not the address is known.
func (a *App) SendProfileLink(ctx context.Context, email, locale string) error {
	email = strings.TrimSpace(strings.ToLower(email))
	if email == "" {
		return nil
	}
	return notifier.RequestLink(ctx, a.js, email, locale, time.Now())
}

// profileByEmail finds the profile with this address.
func (a *App) profileByEmail(ctx context.Context, email string) (profiles.Profile, error) {
	return a.repo.ByEmail(ctx, email)
}
