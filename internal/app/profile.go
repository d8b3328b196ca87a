package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/web"
)

// SaveProfile stores a profile edited by its graduate on the web page and
// announces it. Turning alerts back on lifts an earlier unsubscription.
func (a *App) SaveProfile(ctx context.Context, p profiles.Profile) error {
	if p.Consent.Alerts && p.Alerts.Frequency != profiles.FrequencyOff {
		if err := a.alerts.Unsubscribes.Resubscribe(ctx, p.ID); err != nil {
			return err
		}
	}
	return a.PutProfiles(ctx, []profiles.Profile{p})
}

// profileLinkMessages are the texts of the "manage my profile" mail.
var profileLinkMessages = map[string][3]string{
	"fr": {"Passerelle : votre lien pour gérer votre profil", "Bonjour %s,\n\nVoici votre lien personnel pour modifier votre profil et vos alertes Passerelle (valable 7 jours) :\n\n%s\n\nSi vous n'avez rien demandé, ignorez ce message.\n", "Bonjour %s,"},
	"en": {"Passerelle: your link to manage your profile", "Hello %s,\n\nHere is your personal link to edit your Passerelle profile and alerts (valid for 7 days):\n\n%s\n\nIf you did not ask for it, ignore this message.\n", "Hello %s,"},
	"ar": {"باسرال: رابط إدارة ملفك", "مرحباً %s،\n\nهذا رابطك الشخصي لتعديل ملفك وتنبيهاتك على باسرال (صالح لمدة 7 أيام):\n\n%s\n\nإذا لم تطلب ذلك، تجاهل هذه الرسالة.\n", "مرحباً %s،"},
}

// SendProfileLink mails a signed profile link to the graduate whose address
// this is. It returns at once (the page's answer must not reveal whether
// the address is known); the lookup and the mail happen in the background.
func (a *App) SendProfileLink(_ context.Context, email, locale string) error {
	email = strings.TrimSpace(strings.ToLower(email))
	if email == "" {
		return nil
	}
	a.goWork(&a.workers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := a.sendProfileLink(ctx, email, locale); err != nil {
			a.log.Warn("profile link not sent", "err", err)
		}
		return nil
	})
	return nil
}

var errFound = errors.New("found")

func (a *App) sendProfileLink(ctx context.Context, email, locale string) error {
	var p profiles.Profile
	// Profiles are not indexed by address; a scan is fine at the rate the
	// web page allows (a few requests per hour and address).
	err := a.store.Each(ctx, func(x profiles.Profile) error {
		if strings.EqualFold(strings.TrimSpace(x.Email), email) {
			p = x
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return fmt.Errorf("find profile: %w", err)
	}
	if p.ID == "" {
		a.log.Info("profile link asked for an unknown address")
		return nil
	}
	if locale == "" {
		locale = p.Locale
	}
	msgs, ok := profileLinkMessages[locale]
	if !ok {
		msgs = profileLinkMessages["fr"]
	}
	link := a.cfg.BaseURL + web.ProfileLinkPath(a.profileLinks.Make(p.ID), locale)
	m := &notifier.Message{
		From:    a.cfg.MailFrom,
		To:      p.Email,
		Subject: msgs[0],
		Text:    fmt.Sprintf(msgs[1], p.Name, link),
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	}
	mailer, err := a.getMailer()
	if err != nil {
		return err
	}
	if err := mailer.Send(ctx, m); err != nil {
		return fmt.Errorf("send profile link to %s: %w", p.ID, err)
	}
	a.log.Info("profile link sent", "profile_id", p.ID)
	return nil
}
