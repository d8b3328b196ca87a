package notifier

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		in      string
		want    SMTPConfig
		wantErr bool
	}{
		{in: "smtp://127.0.0.1:1025", want: SMTPConfig{Host: "127.0.0.1", Port: 1025}},
		{in: "smtp://mail.example.org", want: SMTPConfig{Host: "mail.example.org", Port: 587}},
		{in: "smtps://u%40x:p%3Ass@mail.example.org", want: SMTPConfig{Host: "mail.example.org", Port: 465, TLS: true, Username: "u@x", Password: "p:ss"}},
		{in: "smtp://u:p@[::1]:2525?from=Alerts+%3Ca%40b.org%3E&timeout=3s&auth=plain&helo=me.example",
			want: SMTPConfig{Host: "::1", Port: 2525, Username: "u", Password: "p", From: "Alerts <a@b.org>", Timeout: 3 * time.Second, Auth: "PLAIN", HELO: "me.example"}},
		{in: "http://mail.example.org", wantErr: true},
		{in: "smtp://", wantErr: true},
		{in: "smtp://h:99999", wantErr: true},
		{in: "smtp://h?timeout=soon", wantErr: true},
		{in: "smtp://h?from=not-an-address", wantErr: true},
		{in: "::", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseSMTPURL(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseSMTPURL(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseSMTPURL(f *testing.F) {
	for _, s := range []string{"smtp://u:p@h:25?from=a@b.c", "smtps://h", "smtp://[::1]:1", "smtp://h?timeout=1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseSMTPURL(s)
		if err == nil && (c.Host == "" || c.Port < 1 || c.Port > 65535) {
			t.Fatalf("ParseSMTPURL(%q) = %+v without error", s, c)
		}
	})
}

// composed returns a rendered Arabic alert with a hostile title.
func composed(t *testing.T, locale string) *Message {
	t.Helper()
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	p := testProfile("g-0042", locale, profiles.FrequencyInstant)
	p.Name = "Salma Benali — سلمى"
	m := testMatch("g-0042", "remoteok:1", evilTitle, 0.8)
	msg, err := n.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// parseEML checks that raw is a multipart/alternative RFC 5322 message and
// returns its headers and decoded text and HTML parts.
func parseEML(t *testing.T, raw []byte) (mail.Header, string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v)", msg.Header.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if cp["charset"] != "UTF-8" && cp["charset"] != "utf-8" {
			t.Errorf("%s part charset = %q", ct, cp["charset"])
		}
		var body io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("read %s part: %v", ct, err)
		}
		parts[ct] = string(b)
	}
	return msg.Header, parts["text/plain"], parts["text/html"]
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestOutboxWritesParseableEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	o, err := NewOutboxMailer(dir, "", quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	want := composed(t, "ar")
	if err := o.Send(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".eml") {
		t.Fatalf("outbox holds %v, want one .eml (no temporary file left)", entries)
	}
	raw, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	h, text, html := parseEML(t, raw)

	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != want.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, want.Subject)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "g-0042@example.org" || to[0].Name != "Salma Benali — سلمى" {
		t.Errorf("To = %v (%v)", to, err)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "alertes@passerelle.local" || from[0].Name != "Passerelle" {
		t.Errorf("From = %v (%v)", from, err)
	}
	if got := h.Get("Message-Id"); got != "<"+want.MessageID+">" {
		t.Errorf("Message-Id = %q, want <%s>", got, want.MessageID)
	}
	if got := h.Get("List-Unsubscribe"); got != want.Headers["List-Unsubscribe"] {
		t.Errorf("List-Unsubscribe = %q, want %q", got, want.Headers["List-Unsubscribe"])
	}
	if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("headers: %v", h)
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	// MIME bodies travel with CRLF line ends.
	if text != crlf(want.Text) {
		t.Errorf("text part differs:\n got %q\nwant %q", text, want.Text)
	}
	if html != crlf(want.HTML) {
		t.Errorf("html part differs")
	}
	if !strings.Contains(html, `dir="rtl"`) {
		t.Error("Arabic HTML is not rtl")
	}
}

func TestBuildMsgRejectsAndSanitizes(t *testing.T) {
	var buf bytes.Buffer
	base := Message{From: "a@example.org", To: "b@example.org", Subject: "s", Text: "t"}

	bad := base
	bad.To = "not an address"
	if err := WriteMessage(&buf, &bad, "", time.Now()); !errors.Is(err, ErrPermanent) {
		t.Errorf("bad To: err = %v", err)
	}
	bad = base
	bad.Headers = map[string]string{"Bad Name": "x"}
	if err := WriteMessage(&buf, &bad, "", time.Now()); !errors.Is(err, ErrPermanent) {
		t.Errorf("bad header name: err = %v", err)
	}

	inj := base
	inj.Subject = "hello\r\nBcc: victim@example.org"
	inj.Headers = map[string]string{"X-Test": "v\r\nX-Injected: yes", "From": "override@example.org"}
	buf.Reset()
	if err := WriteMessage(&buf, &inj, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("Bcc") != "" || m.Header.Get("X-Injected") != "" {
		t.Errorf("header injection went through: %v", m.Header)
	}
	if m.Header.Get("X-Test") != "v X-Injected: yes" || m.Header.Get("Subject") != "hello Bcc: victim@example.org" {
		t.Errorf("X-Test = %q, Subject = %q", m.Header.Get("X-Test"), m.Header.Get("Subject"))
	}
	if m.Header.Get("From") != "<a@example.org>" {
		t.Errorf("From overridden by Headers: %q", m.Header.Get("From"))
	}
}

func TestSMTPMailerDeliversToMailpit(t *testing.T) {
	mp := mailpit.Start(t)
	ctx := context.Background()
	for _, tt := range []struct{ name, url string }{
		{"no auth", mp.SMTPURL()},
		{"auth plain", "smtp://user:secret@" + mp.SMTPAddr() + "?auth=plain&timeout=5s"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := mp.DeleteAll(ctx); err != nil {
				t.Fatal(err)
			}
			sm, err := NewSMTPMailer(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			want := composed(t, "fr")
			if err := sm.Send(ctx, want); err != nil {
				t.Fatal(err)
			}
			list, err := mp.WaitFor(ctx, 1, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("%d messages in Mailpit, want 1", len(list))
			}
			got, err := mp.Message(ctx, list[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Subject != want.Subject {
				t.Errorf("Subject = %q, want %q", got.Subject, want.Subject)
			}
			if len(got.To) != 1 || got.To[0].Address != "g-0042@example.org" || got.To[0].Name != "Salma Benali — سلمى" {
				t.Errorf("To = %+v", got.To)
			}
			if got.From == nil || got.From.Address != "alertes@passerelle.local" {
				t.Errorf("From = %+v", got.From)
			}
			if got.MessageID != want.MessageID {
				t.Errorf("MessageID = %q, want %q", got.MessageID, want.MessageID)
			}
			if got.Header("List-Unsubscribe") != want.Headers["List-Unsubscribe"] {
				t.Errorf("List-Unsubscribe = %q", got.Header("List-Unsubscribe"))
			}
			if got.ListUnsubscribe.Errors != "" || got.ListUnsubscribe.HeaderPost != "List-Unsubscribe=One-Click" || len(got.ListUnsubscribe.Links) != 2 {
				t.Errorf("Mailpit reads List-Unsubscribe as %+v", got.ListUnsubscribe)
			}
			if got.Header("Auto-Submitted") != "auto-generated" {
				t.Errorf("Auto-Submitted = %q", got.Header("Auto-Submitted"))
			}
			if got.Text != crlf(want.Text) {
				t.Errorf("text part:\n got %q\nwant %q", got.Text, want.Text)
			}
			if !strings.Contains(got.HTML, "&lt;script&gt;") || strings.Contains(got.HTML, "<script>") {
				t.Errorf("HTML part not escaped as rendered")
			}
			if !strings.Contains(got.HTML, "/unsubscribe?lang=") {
				t.Error("HTML part lacks the unsubscribe link")
			}
		})
	}
}

func TestSMTPMailerDownIsTransient(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there any more
	sm, err := NewSMTPMailer("smtp://" + addr + "?timeout=2s")
	if err != nil {
		t.Fatal(err)
	}
	err = sm.Send(context.Background(), composed(t, "en"))
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("send to a closed port: err = %v, want a transient error", err)
	}
}
