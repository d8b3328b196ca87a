package notifier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mailer delivers one message. Implementations: SMTPMailer, OutboxMailer,
// RecordingMailer.
type Mailer interface {
	Send(ctx context.Context, m *Message) error
}

// Message is a rendered mail. From and To are RFC 5322 addresses (a display
// name is allowed); Headers are extra header fields (List-Unsubscribe, ...).
// MessageID is the Message-Id without angle brackets.
type Message struct {
	From, To, Subject, Text, HTML string
	Headers                       map[string]string
	MessageID                     string
}

var (
	_ Mailer = (*SMTPMailer)(nil)
	_ Mailer = (*OutboxMailer)(nil)
)

// ErrPermanent marks a failure that retrying cannot fix (bad address,
// content rejected, malformed input). Everything else is worth a retry.
var ErrPermanent = errors.New("notifier: permanent failure")

type permanentError struct{ err error }

func (e permanentError) Error() string   { return e.err.Error() }
func (e permanentError) Unwrap() []error { return []error{e.err, ErrPermanent} }

// Permanent wraps err so that errors.Is(err, ErrPermanent) holds.
func Permanent(err error) error {
	if err == nil || errors.Is(err, ErrPermanent) {
		return err
	}
	return permanentError{err}
}

// reservedHeaders are set from Message fields or by the MIME writer; Headers
// may not override them.
var reservedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Subject": true, "Date": true,
	"Message-Id": true, "Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true,
}

// oneLine removes line breaks and other control characters from a header
// value, so text from outside can never start a new header.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029'
	}), " ")
}

func validHeaderName(k string) bool {
	if k == "" || len(k) > 76 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// buildMsg turns a Message into a go-mail Msg. SMTP and outbox both write
// through it, so both produce the same MIME.
func buildMsg(m *Message, defaultFrom string, now time.Time) (*gomail.Msg, error) {
	if m == nil {
		return nil, Permanent(errors.New("notifier: nil message"))
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := m.From
	if from == "" {
		from = defaultFrom
	}
	fromAddr, err := mail.ParseAddress(oneLine(from))
	if err != nil {
		return nil, Permanent(fmt.Errorf("notifier: from address %q: %w", from, err))
	}
	msg.FromMailAddress(fromAddr)
	to, err := mail.ParseAddressList(oneLine(m.To))
	if err != nil || len(to) == 0 {
		return nil, Permanent(fmt.Errorf("notifier: to address %q: %w", m.To, err))
	}
	// The To header is written by formatAddress, not by net/mail (whose
	// Q-encoding leaves a backslash in "Saïd \ Ben" and makes a header no
	// reader parses); the envelope recipients go in Bcc, which go-mail
	// never writes as a header.
	msg.BccMailAddress(to...)
	vals := make([]string, len(to))
	for i, a := range to {
		vals[i] = formatAddress(a.Name, a.Address)
	}
	msg.SetGenHeaderPreformatted(gomail.Header(gomail.HeaderTo), strings.Join(vals, ",\r\n "))
	msg.Subject(oneLine(m.Subject))
	if id := strings.Trim(oneLine(m.MessageID), "<> "); id != "" {
		msg.SetMessageIDWithValue(id)
	} else {
		msg.SetMessageID()
	}
	msg.SetDateWithValue(now)
	for k, v := range m.Headers {
		k = strings.TrimSpace(k)
		if !validHeaderName(k) {
			return nil, Permanent(fmt.Errorf("notifier: invalid header name %q", k))
		}
		if reservedHeaders[canonicalHeader(k)] {
			continue
		}
		msg.SetGenHeader(gomail.Header(canonicalHeader(k)), oneLine(v))
	}
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.HTML != "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	}
	return msg, nil
}

// formatAddress renders name and addr as an RFC 5322 address that every
// reader parses back to the same name: bare when name is empty, a quoted
// string for printable ASCII, else RFC 2047 base64 encoded-words (valid in
// a phrase whatever the name holds: quotes, backslashes, commas, RTL
// text), folded so that no header line grows too long.
func formatAddress(name, addr string) string {
	name = oneLine(name)
	if name == "" {
		return "<" + addr + ">"
	}
	ascii := true
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		return (&mail.Address{Name: name, Address: addr}).String()
	}
	words := strings.Split(mime.BEncoding.Encode("utf-8", strings.ToValidUTF8(name, "\uFFFD")), " ")
	return strings.Join(words, "\r\n ") + " <" + addr + ">"
}

// canonicalHeader is the net/textproto form, except that the well-known
// mail headers keep their usual spelling.
func canonicalHeader(k string) string {
	parts := strings.Split(strings.ToLower(k), "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}

// WriteMessage writes m as an RFC 5322 message (multipart/alternative when it
// has both text and HTML) to w; defaultFrom is used when m.From is empty.
func WriteMessage(w io.Writer, m *Message, defaultFrom string, now time.Time) error {
	msg, err := buildMsg(m, defaultFrom, now)
	if err != nil {
		return err
	}
	if _, err := msg.WriteTo(w); err != nil {
		return fmt.Errorf("notifier: write message: %w", err)
	}
	return nil
}

// SMTPConfig is an SMTP relay, usually parsed from a URL.
type SMTPConfig struct {
	Host     string
	Port     int    // default 587 for smtp, 465 for smtps
	Username string // empty: no authentication
	Password string
	// TLS: false = STARTTLS when the server offers it (smtp://), true =
	// implicit TLS from the first byte (smtps://).
	TLS bool
	// Auth is the SASL mechanism (plain, login, cram-md5, scram-sha-256, ...);
	// default: the strongest the server offers that is safe on the connection.
	Auth    string
	Timeout time.Duration // connect and command timeout, default 15s
	From    string        // default From for messages without one
	// HELO is the name announced to the server, default the host name.
	HELO string
	// DKIM, when set, signs every message (dkim.go).
	DKIM *DKIMConfig
}

// Default SMTP settings.
const (
	DefaultSMTPTimeout = 15 * time.Second
	defaultSMTPPort    = 587
	defaultSMTPSPort   = 465
)

// ParseSMTPURL reads smtp://user:pass@host:port or smtps://… with optional
// query parameters from=, timeout= (Go duration), auth= and helo=.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	var c SMTPConfig
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return c, fmt.Errorf("notifier: smtp url: %w", err)
	}
	switch u.Scheme {
	case "smtp":
		c.Port = defaultSMTPPort
	case "smtps":
		c.TLS, c.Port = true, defaultSMTPSPort
	default:
		return c, fmt.Errorf("notifier: smtp url: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return c, errors.New("notifier: smtp url: host is missing (smtp://user:pass@host:port)")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("notifier: smtp url: bad port %q", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	c.From = q.Get("from")
	if c.From != "" {
		if _, err := mail.ParseAddress(c.From); err != nil {
			return c, fmt.Errorf("notifier: smtp url: from=%q is not an address: %w", c.From, err)
		}
	}
	c.Auth = strings.ToUpper(q.Get("auth"))
	c.HELO = q.Get("helo")
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("notifier: smtp url: timeout=%q must be a positive duration such as 10s", t)
		}
		c.Timeout = d
	}
	return c, nil
}

// SMTPMailer sends through an SMTP relay, one connection per message.
type SMTPMailer struct {
	cfg SMTPConfig
	now func() time.Time
}

// NewSMTPMailer returns a mailer for an smtp:// or smtps:// URL.
func NewSMTPMailer(rawURL string) (*SMTPMailer, error) {
	cfg, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	return NewSMTPMailerConfig(cfg), nil
}

// NewSMTPMailerConfig returns a mailer for cfg, defaults filled.
func NewSMTPMailerConfig(cfg SMTPConfig) *SMTPMailer {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMTPTimeout
	}
	if cfg.Port == 0 {
		cfg.Port = defaultSMTPPort
		if cfg.TLS {
			cfg.Port = defaultSMTPSPort
		}
	}
	return &SMTPMailer{cfg: cfg, now: time.Now}
}

func (s *SMTPMailer) client() (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
	}
	if s.cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(s.cfg.HELO))
	}
	if s.cfg.TLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.Auth != "" {
			auth = gomail.SMTPAuthType(s.cfg.Auth)
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notifier: smtp client %s: %w", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)), err)
	}
	return c, nil
}

// Send delivers m. A rejected recipient or rejected content is permanent;
// connection failures and 4xx answers are not.
func (s *SMTPMailer) Send(ctx context.Context, m *Message) error {
	msg, err := buildMsg(m, s.cfg.From, s.now())
	if err != nil {
		return err
	}
	s.cfg.DKIM.sign(msg)
	c, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*s.cfg.Timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		err = fmt.Errorf("notifier: smtp send to %s via %s: %w", m.To, net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)), err)
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && (se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose) {
			// A refused recipient, or a 5.1.x status ("bad destination
			// mailbox": user unknown) after the data, puts the address
			// on the suppression list; other refusals are about this
			// message only.
			if se.Reason == gomail.ErrSMTPRcptTo || strings.HasPrefix(se.EnhancedStatusCode(), "5.1.") {
				return recipientRejected{err}
			}
			return Permanent(err)
		}
		return err
	}
	return nil
}

// OutboxMailer writes each message as an .eml file under Dir instead of
// sending it: for development, demos, or a relay that picks files up.
type OutboxMailer struct {
	dir    string
	from   string
	logger *slog.Logger
	now    func() time.Time
	// DKIM, when set, signs every message written.
	DKIM *DKIMConfig
}

// NewOutboxMailer creates dir if needed. from is the default From address
// (may be empty); logger may be nil.
func NewOutboxMailer(dir, from string, logger *slog.Logger) (*OutboxMailer, error) {
	if dir == "" {
		return nil, errors.New("notifier: outbox directory is empty")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("notifier: create outbox %s: %w", dir, err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &OutboxMailer{dir: dir, from: from, logger: logger, now: time.Now}, nil
}

// Send writes m atomically (temporary file, fsync, rename) as
// <UTC time>-<hash of Message-Id>.eml and logs the path.
func (o *OutboxMailer) Send(ctx context.Context, m *Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("notifier: outbox: %w", err)
	}
	now := o.now()
	msg, err := buildMsg(m, o.from, now)
	if err != nil {
		return err
	}
	o.DKIM.sign(msg)
	sum := sha256.Sum256([]byte(msg.GetMessageID()))
	name := now.UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(sum[:6]) + ".eml"
	path := filepath.Join(o.dir, name)

	tmp, err := os.CreateTemp(o.dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("notifier: outbox: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := msg.WriteTo(tmp); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("notifier: outbox write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("notifier: outbox sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("notifier: outbox close %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("notifier: outbox rename %s: %w", path, err)
	}
	o.logger.Info("notifier: mail written to outbox", "path", path, "to", m.To, "message_id", msg.GetMessageID())
	return nil
}
