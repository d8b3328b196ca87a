package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
	"github.com/passerelle/passerelle/web"
)

// digestZone is where "every morning at 8" is meant: the graduates' time.
const digestZone = "Africa/Casablanca"

func (a *App) newMailer() (notifier.Mailer, error) {
	dkim, err := notifier.LoadDKIM(a.cfg.DKIMKeyFile, a.cfg.DKIMSelector, a.cfg.DKIMDomain)
	if err != nil {
		return nil, err
	}
	if dkim != nil {
		a.log.Info("mail is signed with DKIM", "domain", dkim.Domain, "selector", dkim.Selector)
	}
	if a.cfg.SMTPURL != "" {
		cfg, err := notifier.ParseSMTPURL(a.cfg.SMTPURL)
		if err != nil {
			return nil, err
		}
		cfg.DKIM = dkim
		return notifier.NewSMTPMailerConfig(cfg), nil
	}
	dir := filepath.Join(a.cfg.DataDir, "outbox")
	a.log.Info("no SMTP server configured: e-mails are written as .eml files", "outbox", dir)
	o, err := notifier.NewOutboxMailer(dir, a.cfg.MailFrom, a.log.With("component", "outbox"))
	if err != nil {
		return nil, err
	}
	o.DKIM = dkim
	return o, nil
}

// getMailer returns the process's mailer, built on first use.
func (a *App) getMailer() (notifier.Mailer, error) {
	a.mailerOnce.Do(func() { a.mailer, a.mailerErr = a.newMailer() })
	return a.mailer, a.mailerErr
}

func (a *App) startNotifier(ctx context.Context) error {
	mailer, err := a.getMailer()
	if err != nil {
		return err
	}
	stores := a.alerts
	tax := skills.Default()
	var staleAfter time.Duration
	if a.cfg.AckWait > 0 {
		staleAfter = 2 * a.cfg.AckWait
		stores.Ledger.SetStaleAfter(staleAfter)
	}
	n, err := notifier.New(notifier.Config{
		HandleTimeout: a.cfg.AckWait,
		GiveUpAfter:   a.cfg.GiveUpAfter,
		Health: func(consumer string) bus.ConsumerHealth {
			stream := bus.StreamMatches
			switch consumer {
			case notifier.OutboxConsumerName:
				stream = bus.StreamOutbox
			case notifier.ClosedConsumerName:
				stream = bus.StreamOffers
			}
			return hook(a.componentHealth("notifier/"+consumer, stream, consumer))
		},
		StaleClaimAfter: staleAfter,
		SendRate:        a.cfg.SendRate,
		DomainRate:      a.cfg.DomainRate,
		InstantWindow:   a.cfg.InstantWindow,
		InstantPerDay:   a.cfg.InstantPerDay,
		BaseURL:         a.cfg.BaseURL,
		From:            a.cfg.MailFrom,
		Secret:          a.secretKey,
		SkillLabel:      tax.DisplayLabel,
		SkillGapFor:     a.weeklyGap,
		SignupURLFor:    a.signupURL,
		FeedbackURLFor: func(profileID, offerID, verdict, locale string) string {
			return a.cfg.BaseURL + web.FeedbackLinkPath(a.feedbackLinks.Make(profileID, offerID, verdict), locale)
		},
		ManageURLFor: func(profileID, locale string) string {
			return a.cfg.BaseURL + web.ProfileLinkPath(a.profileLinks.Make(profileID), locale)
		},
		OfferPageURLFor: func(profileID, offerID, locale string) string {
			return a.cfg.BaseURL + web.OfferLinkPath(a.profileLinks.Make(profileID), locale, offerID)
		},
		Logger: a.log.With("component", "notifier"),
	}, notifier.Deps{
		Mailer:       mailer,
		Ledger:       stores.Ledger,
		Digests:      stores.Digests,
		Unsubscribed: stores.Unsubscribes,
		Closed:       stores.Closed,
		NotWanted:    a,
		Suppressions: stores.Suppressions,
		Links:        a.linkChecker(),
		Quota:        stores.Quota,
	})
	if err != nil {
		return err
	}
	a.notifier = n
	lookup := a.repo.Get
	a.goWork(&a.workers, func() error { return n.Run(ctx, a.js, lookup) })
	a.goWork(&a.workers, func() error { return n.RunClosed(ctx, a.js) })
	a.goWork(&a.workers, func() error { return n.RunOutbox(ctx, a.js, a.profileByEmail) })

	// Digests: daily at 08:00 and weekly on Monday at 08:00, Moroccan time.
	// Every notify process's schedule queues the tick on the outbox; its
	// message id keeps one, and one process runs it.
	loc, err := time.LoadLocation(digestZone)
	if err != nil {
		return fmt.Errorf("load time zone %s: %w", digestZone, err)
	}
	clog := cronLogger{a.log.With("component", "digest-schedule")}
	c := cron.New(cron.WithLocation(loc), cron.WithChain(cron.Recover(clog), cron.SkipIfStillRunning(clog)))
	for spec, freq := range map[string]string{"0 8 * * *": profiles.FrequencyDaily, "0 8 * * 1": profiles.FrequencyWeekly} {
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			return fmt.Errorf("schedule %s digests: %w", freq, err)
		}
		c.Schedule(sched, cron.FuncJob(func() {
			// The tick this run stands for: the schedule's last time.
			tick := time.Now().In(loc).Truncate(time.Minute)
			if err := notifier.RequestDigests(ctx, a.js, freq, tick); err != nil {
				a.log.Error("digest run not queued", "frequency", freq, "err", err)
			}
		}))
	}
	c.Start()
	a.goWork(&a.workers, func() error {
		<-ctx.Done()
		<-c.Stop().Done()
		return nil
	})
	if a.cfg.InstantWindow > 0 {
		// Coalesced instant alerts: every notify process asks each
		// half-minute for a flush; the outbox keeps one per minute.
		a.goWork(&a.workers, func() error {
			t := time.NewTicker(30 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return nil
				case now := <-t.C:
					if err := notifier.RequestDigests(ctx, a.js, profiles.FrequencyInstant, now); err != nil && ctx.Err() == nil {
						a.log.Warn("coalesced instant alerts: flush not queued", "err", err)
					}
				}
			}
		})
	}
	return nil
}

// cronLogger is robfig/cron's logger over slog (a recovered panic is
// logged with its stack).
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}

// FlushDigests sends the pending daily or weekly digests now (tests, and
// operators who want to send them early).
func (a *App) FlushDigests(ctx context.Context, frequency string) error {
	if a.notifier == nil {
		return fmt.Errorf("the notify component is not running in this process")
	}
	return a.notifier.FlushDigests(ctx, frequency, time.Now())
}

// linkChecker is the --check-links checker (nil when off). Loopback and
// private addresses are checked only where sources may use them (tests,
// the demo).
func (a *App) linkChecker() notifier.LinkChecker {
	if !a.cfg.CheckLinks {
		return nil
	}
	ua := notifier.DefaultLinkCheckUserAgent + " +" + a.cfg.BaseURL
	return notifier.NewHTTPLinkChecker(notifier.LinkCheckConfig{AllowPrivate: a.cfg.AllowPrivate, UserAgent: ua})
}
