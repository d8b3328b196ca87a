package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Dead letters. A message that a consumer can never handle (bad JSON, an
// unknown profile) is copied to the DEAD stream, under dead.<consumer>,
// before it is terminated on its own stream, so that nothing is lost: an
// operator can read it (`passerelle dead`, ListDead), fix the cause and
// publish it again (`passerelle dead replay`, ReplayDead). If the copy cannot be stored, the message is retried later
// instead of terminated.

// Headers of a dead letter, beside the original message's own.
const (
	HeaderDeadSubject  = "Passerelle-Dead-Subject"
	HeaderDeadConsumer = "Passerelle-Dead-Consumer"
	HeaderDeadReason   = "Passerelle-Dead-Reason"
	HeaderDeadStream   = "Passerelle-Dead-Stream"
	HeaderDeadSequence = "Passerelle-Dead-Sequence"
)

// maxDeadReason bounds the reason header (bytes).
const maxDeadReason = 1000

// DeadSubject is the subject of consumer's dead letters.
func DeadSubject(consumer string) string {
	return SubjectDeadPrefix + subjectToken(consumer)
}

// subjectToken makes s one subject token: no dots, spaces, wildcards or
// control characters; empty becomes "unknown".
func subjectToken(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '.' || r == '*' || r == '>' || r <= ' ' || r == 0x7f:
			return '_'
		}
		return r
	}, strings.ToValidUTF8(s, "_"))
	if s == "" {
		return "unknown"
	}
	return s
}

// DeadLetter stores a copy of msg, with reason, in the DEAD stream under
// consumer's subject and waits for the stream's acknowledgement. The
// caller terminates msg only when it returns nil.
func DeadLetter(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, consumer, reason string) error {
	if len(reason) > maxDeadReason {
		reason = reason[:maxDeadReason]
		for !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	h := nats.Header{}
	for k, vs := range msg.Headers() {
		if k == jetstream.MsgIDHeader {
			continue // a dead letter is not a duplicate of its original
		}
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set(HeaderDeadSubject, msg.Subject())
	h.Set(HeaderDeadConsumer, consumer)
	h.Set(HeaderDeadReason, strings.ReplaceAll(strings.ReplaceAll(reason, "\r", " "), "\n", " "))
	if md, err := msg.Metadata(); err == nil {
		h.Set(HeaderDeadStream, md.Stream)
		h.Set(HeaderDeadSequence, fmt.Sprint(md.Sequence.Stream))
	}
	dead := &nats.Msg{Subject: DeadSubject(consumer), Header: h, Data: msg.Data()}
	if _, err := js.PublishMsg(ctx, dead); err != nil {
		return fmt.Errorf("bus: dead letter of %s for %s: %w", msg.Subject(), consumer, err)
	}
	return nil
}

// DeadLetters returns up to max dead letters, oldest first.
func DeadLetters(ctx context.Context, js jetstream.JetStream, max int) ([]*jetstream.RawStreamMsg, error) {
	st, err := js.Stream(ctx, StreamDead)
	if err != nil {
		return nil, fmt.Errorf("bus: dead letters: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("bus: dead letters: %w", err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq && len(out) < max; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // expired or deleted meanwhile
		}
		if err != nil {
			return out, fmt.Errorf("bus: dead letter %d: %w", seq, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Dead is one dead letter as an operator sees it.
type Dead struct {
	Seq      uint64    `json:"seq"`      // sequence in the DEAD stream
	Time     time.Time `json:"time"`     // when it was stored
	Subject  string    `json:"subject"`  // original subject
	Consumer string    `json:"consumer"` // consumer that gave up on it
	Reason   string    `json:"reason"`
	Size     int       `json:"size"` // bytes of data
	// Data is the original payload, cut at maxDeadShown bytes.
	Data string `json:"data"`
}

// maxDeadShown bounds the payload a listing shows (bytes).
const maxDeadShown = 2000

// ListDead returns up to max dead letters, oldest first, for operators.
func ListDead(ctx context.Context, js jetstream.JetStream, max int) ([]Dead, error) {
	raw, err := DeadLetters(ctx, js, max)
	out := make([]Dead, 0, len(raw))
	for _, m := range raw {
		data := m.Data
		if len(data) > maxDeadShown {
			data = data[:maxDeadShown]
		}
		out = append(out, Dead{
			Seq: m.Sequence, Time: m.Time, Subject: m.Header.Get(HeaderDeadSubject),
			Consumer: m.Header.Get(HeaderDeadConsumer), Reason: m.Header.Get(HeaderDeadReason),
			Size: len(m.Data), Data: strings.ToValidUTF8(string(data), "\uFFFD"),
		})
	}
	return out, err
}

// ErrNotDead is returned by ReplayDead for a sequence that holds no dead
// letter (never stored, already replayed or expired).
var ErrNotDead = errors.New("bus: no such dead letter")

// ReplayDead publishes dead letter seq again on its original subject, with
// its original headers, once its cause is fixed (the profile now exists, a
// parser bug is mended), then deletes it from the DEAD stream. Every
// consumer of that subject sees it again; the notifier's ledger still
// stops a second mail. If the publish fails the dead letter is kept.
func ReplayDead(ctx context.Context, js jetstream.JetStream, seq uint64) (string, error) {
	st, err := js.Stream(ctx, StreamDead)
	if err != nil {
		return "", fmt.Errorf("bus: replay dead letter %d: %w", seq, err)
	}
	m, err := st.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return "", fmt.Errorf("bus: replay dead letter %d: %w", seq, ErrNotDead)
	}
	if err != nil {
		return "", fmt.Errorf("bus: replay dead letter %d: %w", seq, err)
	}
	subject := m.Header.Get(HeaderDeadSubject)
	if subject == "" || !strings.HasPrefix(m.Subject, SubjectDeadPrefix) {
		return "", fmt.Errorf("bus: replay dead letter %d: %w (no original subject)", seq, ErrNotDead)
	}
	h := nats.Header{}
	for k, vs := range m.Header {
		if strings.HasPrefix(k, "Passerelle-Dead-") {
			continue
		}
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if _, err := js.PublishMsg(ctx, &nats.Msg{Subject: subject, Header: h, Data: m.Data}); err != nil {
		return subject, fmt.Errorf("bus: replay dead letter %d on %s: %w", seq, subject, err)
	}
	if err := st.DeleteMsg(ctx, seq); err != nil {
		return subject, fmt.Errorf("bus: dead letter %d replayed on %s but not deleted: %w", seq, subject, err)
	}
	return subject, nil
}
