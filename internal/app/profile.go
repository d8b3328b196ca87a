package app

import (
	"context"
	"errors"
	"fmt"
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

var errFound = errors.New("found")

// profileByEmail finds the profile with this address.
func (a *App) profileByEmail(ctx context.Context, email string) (profiles.Profile, error) {
	email = strings.TrimSpace(email)
	var p profiles.Profile
	// Profiles are not indexed by address; a scan is fine at the rate the
	// web page allows (a few requests per hour and client).
	err := a.store.Each(ctx, func(x profiles.Profile) error {
		if strings.EqualFold(strings.TrimSpace(x.Email), email) {
			p = x
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return profiles.Profile{}, fmt.Errorf("find profile by address: %w", err)
	}
	if p.ID == "" {
		return profiles.Profile{}, fmt.Errorf("no profile with this address: %w", profiles.ErrNotFound)
	}
	return p, nil
}
