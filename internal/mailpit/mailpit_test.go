package mailpit

import (
	"context"
	"fmt"
	"net/smtp"
	"strings"
	"testing"
	"time"
)

func send(t *testing.T, addr, to, subject, body string) {
	t.Helper()
	msg := fmt.Sprintf("From: Test <from@example.org>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\nX-Test: yes\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		to, subject, strings.ReplaceAll(subject, " ", "-"), body)
	if err := smtp.SendMail(addr, nil, "from@example.org", []string{to}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}
}

func TestServer(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	if !strings.HasPrefix(s.SMTPURL(), "smtp://127.0.0.1:") || !strings.HasSuffix(s.SMTPURL(), s.SMTPAddr()) {
		t.Fatalf("SMTPURL = %q, SMTPAddr = %q", s.SMTPURL(), s.SMTPAddr())
	}

	msgs, err := s.Messages(ctx)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("fresh server: %d messages, err %v", len(msgs), err)
	}

	send(t, s.SMTPAddr(), "a@example.org", "first one", "hello a")
	send(t, s.SMTPAddr(), "b@example.org", "second one", "hello b")

	msgs, err = s.WaitFor(ctx, 2, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}

	found, err := s.Search(ctx, "subject:second")
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Subject != "second one" || len(found[0].To) != 1 || found[0].To[0].Address != "b@example.org" {
		t.Fatalf("search = %+v", found)
	}

	full, err := s.Message(ctx, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.Text, "hello b") {
		t.Errorf("text = %q", full.Text)
	}
	if got := full.Header("X-Test"); got != "yes" {
		t.Errorf("X-Test header = %q, headers %v", got, full.Headers)
	}
	if full.MessageID != "second-one@example.org" {
		t.Errorf("MessageID = %q", full.MessageID)
	}

	if _, err := s.Message(ctx, "no-such-id"); err == nil {
		t.Error("Message(unknown id) returned no error")
	}

	// WaitFor must give up at its deadline rather than hang.
	if _, err := s.WaitFor(ctx, 3, 200*time.Millisecond); err == nil {
		t.Error("WaitFor(3) with 2 messages returned no error")
	}

	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err = s.Messages(ctx)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("after DeleteAll: %d messages, err %v", len(msgs), err)
	}
}

func TestFindBinary(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("GOBIN", t.TempDir())
	t.Setenv("GOPATH", t.TempDir())
	if p, err := findBinary(); err == nil {
		t.Fatalf("findBinary found %q in empty directories", p)
	}
}
