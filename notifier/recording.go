package notifier

import (
	"context"
	"io"
	"sync"
	"time"
)

// RecordingMailer keeps sent messages in memory, for tests in this and other
// packages. Each message is first encoded exactly as SMTPMailer would
// encode it, so a message the real mailers would refuse is refused here too.
type RecordingMailer struct {
	mu   sync.Mutex
	msgs []Message
	err  error
}

var _ Mailer = (*RecordingMailer)(nil)

// Send records a copy of m, or returns the error set by FailWith.
func (r *RecordingMailer) Send(ctx context.Context, m *Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	if err := WriteMessage(io.Discard, m, "", time.Now()); err != nil {
		return err
	}
	c := *m
	if m.Headers != nil {
		c.Headers = make(map[string]string, len(m.Headers))
		for k, v := range m.Headers {
			c.Headers[k] = v
		}
	}
	r.msgs = append(r.msgs, c)
	return nil
}

// FailWith makes later sends fail with err (nil: succeed again).
func (r *RecordingMailer) FailWith(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

// Messages returns a copy of what was sent so far.
func (r *RecordingMailer) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.msgs...)
}
