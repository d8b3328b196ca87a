package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Dead letters. A message that a consumer can never handle (bad JSON, an
// unknown profile) is copied to the DEAD stream, under dead.<consumer>,
// before it is terminated on its own stream, so that nothing is lost: an
// operator can read it (`nats stream view DEAD`), fix the cause and publish
// it again. If the copy cannot be stored, the message is retried later
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
