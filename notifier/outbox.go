package notifier

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/metrics"
	"github.com/passerelle/passerelle/profiles"
)

// The outbox is the notifier's own work queue (stream bus.StreamOutbox):
// mails the web asks for and digest runs. A request is kept until a
// notifier process has handled it, so an SMTP outage or a crash delays it
// and loses nothing; the two-phase ledger keeps a redelivered request from
// being mailed twice.

// OutboxConsumerName is the durable consumer of the OUTBOX stream.
const OutboxConsumerName = "notifier-outbox"

// outboxMaxAge is how long a request is worth sending: a link asked for a
// day ago is stale, and the next digest tick covers a missed one.
const outboxMaxAge = 24 * time.Hour

// LinkRequest is a graduate's "send me my link": the address typed on the
// web page and the page's language.
type LinkRequest struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	Locale      string    `json:"locale"`
	RequestedAt time.Time `json:"requested_at"`
	// Signup, when set, makes this a sign-up: the address gets a link
	// confirming it (double opt-in) and the consent chosen, whether or not
	// a profile has it.
	Signup *SignupChoices `json:"signup,omitempty"`
	// Erased, when set, confirms to the address that its profile and
	// everything about it were erased (no lookup: nothing is left).
	Erased bool `json:"erased,omitempty"`
}

// RequestErasedNotice queues the mail confirming an erasure to email.
func RequestErasedNotice(ctx context.Context, js jetstream.JetStream, email, locale string, now time.Time) error {
	req := LinkRequest{ID: rand.Text(), Email: strings.TrimSpace(email), Locale: NormalizeLocale(locale), RequestedAt: now.UTC(), Erased: true}
	return bus.PublishJSON(ctx, js, bus.SubjectOutboxLink, req.ID, req)
}

// SignupChoices are the consent layers a graduate chose at sign-up.
type SignupChoices struct {
	Alerts     bool `json:"alerts"`
	Searchable bool `json:"searchable"`
	Recruiters bool `json:"recruiters"`
}

// RequestSignup queues a sign-up confirmation mail to email.
func RequestSignup(ctx context.Context, js jetstream.JetStream, email, locale string, c SignupChoices, now time.Time) error {
	req := LinkRequest{ID: rand.Text(), Email: strings.TrimSpace(email), Locale: NormalizeLocale(locale), RequestedAt: now.UTC(), Signup: &c}
	return bus.PublishJSON(ctx, js, bus.SubjectOutboxLink, req.ID, req)
}

// SignupLedgerID is the sent-ledger owner of a sign-up mail to an address
// no profile has yet (a hash: the ledger never holds the address itself).
func SignupLedgerID(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "signup-" + hex.EncodeToString(sum[:12])
}

// digestJob is one scheduled digest run.
type digestJob struct {
	Frequency string    `json:"frequency"`
	Tick      time.Time `json:"tick"`
}

// RequestLink queues a profile-link mail for the graduate with this
// address, if there is one (the notifier looks it up; the caller learns
// nothing). It returns once the request is stored in the stream.
func RequestLink(ctx context.Context, js jetstream.JetStream, email, locale string, now time.Time) error {
	req := LinkRequest{ID: rand.Text(), Email: strings.TrimSpace(email), Locale: NormalizeLocale(locale), RequestedAt: now.UTC()}
	return bus.PublishJSON(ctx, js, bus.SubjectOutboxLink, req.ID, req)
}

// RequestDigests queues the digest run of frequency for the scheduled
// tick. Every notifier process's schedule fires it; the message id
// (frequency and tick) keeps one, and one process runs it.
func RequestDigests(ctx context.Context, js jetstream.JetStream, frequency string, tick time.Time) error {
	id := "digest-" + frequency + "@" + tick.UTC().Truncate(time.Minute).Format(time.RFC3339)
	return bus.PublishJSON(ctx, js, bus.SubjectOutboxDigestPrefix+frequency, id, digestJob{Frequency: frequency, Tick: tick.UTC()})
}

// EmailLookup finds the profile with this e-mail address; it returns an
// error wrapping profiles.ErrNotFound when there is none.
type EmailLookup func(ctx context.Context, email string) (profiles.Profile, error)

// RunOutbox consumes the OUTBOX stream until ctx is done: profile links
// and digest runs. A failed send is retried with a delay (until the pause
// ends when sending is paused); a request older than a day is dropped
// with a dead letter saying so.
func (n *Notifier) RunOutbox(ctx context.Context, js jetstream.JetStream, byEmail EmailLookup) error {
	n.log.Info("notifier: consuming", "stream", bus.StreamOutbox, "consumer", OutboxConsumerName)
	return bus.Consume(ctx, js, bus.ConsumeConfig{
		Stream:      bus.StreamOutbox,
		Durable:     OutboxConsumerName,
		Description: "notifier: profile links and digest runs",
		// Short, so the run of a notifier that died is taken up soon;
		// long runs report progress.
		AckWait:       n.cfg.HandleTimeout + 30*time.Second,
		HandleTimeout: 6 * time.Hour, // a digest run reports progress
		MaxDeliver:    -1,
		MaxAckPending: 16,
		RetryDelay:    n.cfg.RetryDelay,
		Batch:         1,
		Logger:        n.log,
		JS:            js,
		Health:        n.health(OutboxConsumerName),
		GiveUpAfter:   n.cfg.GiveUpAfter,
		BeforeFetch: func(ctx context.Context) error {
			if until, paused := n.Paused(); paused {
				return sleepCtx(ctx, until.Sub(n.now()))
			}
			return nil
		},
	}, func(ctx context.Context, msg jetstream.Msg) error {
		return n.processOutbox(ctx, msg, byEmail)
	})
}

func (n *Notifier) processOutbox(ctx context.Context, msg jetstream.Msg, byEmail EmailLookup) error {
	switch subj := msg.Subject(); {
	case subj == bus.SubjectOutboxLink:
		var req LinkRequest
		if err := json.Unmarshal(msg.Data(), &req); err != nil || req.ID == "" {
			return bus.Permanent(fmt.Errorf("bad link request: %v", err))
		}
		if age := n.now().Sub(req.RequestedAt); age > outboxMaxAge {
			return bus.Permanent(fmt.Errorf("link request expired unsent after %s", age.Round(time.Minute)))
		}
		err := n.SendLink(ctx, req, byEmail)
		if err != nil && !errors.Is(err, ErrPermanent) {
			return n.retry(err)
		}
		if err != nil {
			return bus.Permanent(err)
		}
		return nil
	case strings.HasPrefix(subj, bus.SubjectOutboxDigestPrefix):
		var job digestJob
		if err := json.Unmarshal(msg.Data(), &job); err != nil {
			return bus.Permanent(fmt.Errorf("bad digest job: %v", err))
		}
		if age := n.now().Sub(job.Tick); age > outboxMaxAge {
			n.log.Warn("notifier: digest run dropped: the next one covers it", "frequency", job.Frequency, "tick", job.Tick, "age", age.Round(time.Minute))
			return nil
		}
		err := n.flushDigests(ctx, job.Frequency, n.now(), func() { _ = msg.InProgress() })
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errInFlight):
			// Another sender holds some claims: run again once they
			// could be stale; what was sent is not sent twice.
			return bus.RetryAfter(err, n.cfg.StaleClaimAfter+time.Second)
		default:
			return n.retry(err)
		}
	}
	return bus.Permanent(fmt.Errorf("unknown outbox subject %q", msg.Subject()))
}

// sleepCtx waits d or until ctx is done (then it returns ctx's error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// SendLink mails the graduate with req's address their personal link
// (Config.ManageURLFor), through the two-phase ledger under the request's
// id, so a redelivered request is not mailed twice and a crash loses
// nothing. An unknown address is not an error: nothing is sent and the
// page that asked said the same either way.
func (n *Notifier) SendLink(ctx context.Context, req LinkRequest, byEmail EmailLookup) error {
	if req.Signup != nil {
		return n.sendSignup(ctx, req, byEmail)
	}
	if req.Erased {
		return n.sendErased(ctx, req)
	}
	p, err := byEmail(ctx, req.Email)
	if errors.Is(err, profiles.ErrNotFound) {
		n.log.Info("notifier: profile link asked for an unknown address", "request_id", req.ID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("notifier: link request %s: %w", req.ID, err)
	}
	if strings.TrimSpace(p.Email) == "" || n.cfg.ManageURLFor == nil {
		return Permanent(fmt.Errorf("notifier: link request %s: no address or no link maker", req.ID))
	}
	locale := req.Locale
	if locale == "" {
		locale = p.Locale
	}
	locale = NormalizeLocale(locale)
	key := "link:" + req.ID
	id := "link." + KeyToken(req.ID) + "@" + n.cfg.MessageIDDomain
	c, err := n.deps.Ledger.Claim(ctx, p.ID, key, id)
	if err != nil {
		return err
	}
	switch c.State {
	case AlreadySent:
		return nil
	case InFlight:
		return fmt.Errorf("%w: link request %s", errInFlight, req.ID)
	}
	link := n.cfg.ManageURLFor(p.ID, locale)
	name := strings.TrimSpace(oneLine(p.Name))
	greeting := tr{"Bonjour,", "Hello,", "مرحباً،"}.in(locale)
	if name != "" {
		greeting = strings.ReplaceAll(tr{"Bonjour {name},", "Hello {name},", "مرحباً {name}،"}.in(locale), "{name}", name)
	}
	body := greeting + "\n\n" + strings.ReplaceAll(linkBody.in(locale), "{url}", link)
	msg := &Message{
		From:      n.cfg.From,
		To:        formatAddress(p.Name, p.Email),
		Subject:   linkSubject.in(locale),
		Text:      body,
		MessageID: c.MessageID,
		Headers:   map[string]string{"Auto-Submitted": "auto-generated"},
	}
	if err := n.paceTo(ctx, p.Email); err != nil {
		_ = n.deps.Ledger.Release(context.WithoutCancel(ctx), p.ID, key, c)
		return err
	}
	if err := n.deps.Mailer.Send(ctx, msg); err != nil {
		_ = n.deps.Ledger.Release(context.WithoutCancel(ctx), p.ID, key, c)
		n.noteRejected(ctx, p.Email, p.ID, err)
		n.recordFailure(err)
		metrics.AlertsFailed.WithLabelValues("link").Inc()
		return fmt.Errorf("notifier: send link to %s: %w", p.ID, err)
	}
	n.recordSuccess()
	metrics.AlertsSent.WithLabelValues("link").Inc()
	if err := n.deps.Ledger.Sent(context.WithoutCancel(ctx), p.ID, key, c); err != nil {
		n.log.Error("notifier: sent link not recorded as sent", "profile_id", p.ID, "error", err)
	}
	n.log.Info("notifier: profile link sent", "profile_id", p.ID, "request_id", req.ID)
	return nil
}

var (
	linkSubject = tr{"Passerelle : votre lien pour gérer votre profil", "Passerelle: your link to manage your profile", "باسرال: رابط إدارة ملفك"}
	linkBody    = tr{
		"Voici votre lien personnel pour modifier votre profil et vos alertes Passerelle (valable 7 jours) :\n\n{url}\n\nSi vous n'avez rien demandé, ignorez ce message.\n",
		"Here is your personal link to edit your Passerelle profile and alerts (valid for 7 days):\n\n{url}\n\nIf you did not ask for it, ignore this message.\n",
		"هذا رابطك الشخصي لتعديل ملفك وتنبيهاتك على باسرال (صالح لمدة 7 أيام):\n\n{url}\n\nإذا لم تطلب ذلك، تجاهل هذه الرسالة.\n",
	}
)

// sendSignup mails the sign-up confirmation link (Config.SignupURLFor) to
// the address of req, known or not: confirming creates the profile, or
// applies the consent chosen to the profile that already has the address.
func (n *Notifier) sendSignup(ctx context.Context, req LinkRequest, byEmail EmailLookup) error {
	if n.cfg.SignupURLFor == nil {
		return Permanent(fmt.Errorf("notifier: sign-up request %s: no confirmation link maker", req.ID))
	}
	addr, err := mail.ParseAddress(req.Email)
	if err != nil || addr.Address != req.Email {
		return Permanent(fmt.Errorf("notifier: sign-up request %s: bad address", req.ID))
	}
	owner, name := SignupLedgerID(req.Email), ""
	p, err := byEmail(ctx, req.Email)
	switch {
	case err == nil:
		owner, name = p.ID, p.Name
	case !errors.Is(err, profiles.ErrNotFound):
		return fmt.Errorf("notifier: sign-up request %s: %w", req.ID, err)
	}
	locale := NormalizeLocale(req.Locale)
	key := "signup:" + req.ID
	id := "signup." + KeyToken(req.ID) + "@" + n.cfg.MessageIDDomain
	c, err := n.deps.Ledger.Claim(ctx, owner, key, id)
	if err != nil {
		return err
	}
	switch c.State {
	case AlreadySent:
		return nil
	case InFlight:
		return fmt.Errorf("%w: sign-up request %s", errInFlight, req.ID)
	}
	link := n.cfg.SignupURLFor(req.Email, locale, *req.Signup)
	msg := &Message{
		From:      n.cfg.From,
		To:        formatAddress(name, req.Email),
		Subject:   signupSubject.in(locale),
		Text:      tr{"Bonjour,", "Hello,", "مرحباً،"}.in(locale) + "\n\n" + strings.ReplaceAll(signupBody.in(locale), "{url}", link),
		MessageID: c.MessageID,
		Headers:   map[string]string{"Auto-Submitted": "auto-generated"},
	}
	if err := n.paceTo(ctx, req.Email); err != nil {
		_ = n.deps.Ledger.Release(context.WithoutCancel(ctx), owner, key, c)
		return err
	}
	if err := n.deps.Mailer.Send(ctx, msg); err != nil {
		_ = n.deps.Ledger.Release(context.WithoutCancel(ctx), owner, key, c)
		n.noteRejected(ctx, req.Email, owner, err)
		n.recordFailure(err)
		metrics.AlertsFailed.WithLabelValues("signup").Inc()
		return fmt.Errorf("notifier: send sign-up confirmation: %w", err)
	}
	n.recordSuccess()
	metrics.AlertsSent.WithLabelValues("signup").Inc()
	if err := n.deps.Ledger.Sent(context.WithoutCancel(ctx), owner, key, c); err != nil {
		n.log.Error("notifier: sign-up mail not recorded as sent", "request_id", req.ID, "error", err)
	}
	n.log.Info("notifier: sign-up confirmation sent", "request_id", req.ID, "known_address", owner != SignupLedgerID(req.Email))
	return nil
}

var (
	signupSubject = tr{"Passerelle : confirmez votre inscription", "Passerelle: confirm your sign-up", "باسرال: أكّد تسجيلك"}
	signupBody    = tr{
		"Pour confirmer votre adresse et ouvrir votre profil Passerelle, suivez ce lien (valable 48 heures) :\n\n{url}\n\nSi vous n'avez rien demandé, ignorez ce message : rien ne sera créé.\n",
		"To confirm your address and open your Passerelle profile, follow this link (valid for 48 hours):\n\n{url}\n\nIf you did not ask for it, ignore this message: nothing will be created.\n",
		"لتأكيد عنوانك وفتح ملفك على باسرال، اتبع هذا الرابط (صالح لمدة 48 ساعة):\n\n{url}\n\nإذا لم تطلب ذلك، تجاهل هذه الرسالة: لن يُنشأ أي شيء.\n",
	}
)

// sendErased confirms an erasure. It keeps no ledger entry (that would be
// data about the address): a redelivery after a crash may send it twice,
// under the same Message-Id.
func (n *Notifier) sendErased(ctx context.Context, req LinkRequest) error {
	addr, err := mail.ParseAddress(req.Email)
	if err != nil || addr.Address != req.Email {
		return Permanent(fmt.Errorf("notifier: erasure notice %s: bad address", req.ID))
	}
	locale := NormalizeLocale(req.Locale)
	msg := &Message{
		From:      n.cfg.From,
		To:        formatAddress("", req.Email),
		Subject:   erasedSubject.in(locale),
		Text:      tr{"Bonjour,", "Hello,", "مرحباً،"}.in(locale) + "\n\n" + erasedBody.in(locale),
		MessageID: "erased." + KeyToken(req.ID) + "@" + n.cfg.MessageIDDomain,
		Headers:   map[string]string{"Auto-Submitted": "auto-generated"},
	}
	if err := n.paceTo(ctx, req.Email); err != nil {
		return err
	}
	if err := n.deps.Mailer.Send(ctx, msg); err != nil {
		n.recordFailure(err)
		metrics.AlertsFailed.WithLabelValues("erased").Inc()
		return fmt.Errorf("notifier: send erasure notice: %w", err)
	}
	n.recordSuccess()
	metrics.AlertsSent.WithLabelValues("erased").Inc()
	n.log.Info("notifier: erasure notice sent", "request_id", req.ID)
	return nil
}

var (
	erasedSubject = tr{"Passerelle : vos données ont été effacées", "Passerelle: your data has been erased", "باسرال: تم حذف بياناتك"}
	erasedBody    = tr{
		"Comme vous l'avez demandé, votre profil Passerelle et tout ce qui s'y rapportait (offres proposées, alertes envoyées, réponses) ont été effacés. Vous ne recevrez plus rien de notre part.\n\nVous pouvez vous réinscrire à tout moment.\n",
		"As you asked, your Passerelle profile and everything about it (offers matched, alerts sent, answers) have been erased. You will receive nothing more from us.\n\nYou can sign up again at any time.\n",
		"كما طلبت، تم حذف ملفك على باسرال وكل ما يتعلق به (العروض المقترحة، والتنبيهات المرسلة، والإجابات). لن تتلقى منا أي شيء بعد الآن.\n\nيمكنك التسجيل من جديد في أي وقت.\n",
	}
)
