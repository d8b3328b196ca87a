package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/passerelle/passerelle/internal/clock"
	"github.com/passerelle/passerelle/internal/metrics"
)

// PublishJSON publishes v as JSON on subject with Nats-Msg-Id msgID (empty:
// no de-duplication) and waits for the stream's acknowledgement.
func PublishJSON(ctx context.Context, js jetstream.JetStream, subject, msgID string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bus: encode for %s: %w", subject, err)
	}
	var opts []jetstream.PublishOpt
	if msgID != "" {
		opts = append(opts, jetstream.WithMsgID(msgID))
	}
	if _, err := js.Publish(ctx, subject, data, opts...); err != nil {
		return fmt.Errorf("bus: publish %s (%s): %w", subject, msgID, err)
	}
	return nil
}

// ErrPermanent marks a handler error that redelivery cannot fix (bad JSON,
// unknown profile): the message is terminated instead of retried.
var ErrPermanent = errors.New("bus: permanent failure")

// Permanent wraps err so that Consume terminates the message. The dead
// letter's reason is err's own text.
func Permanent(err error) error { return permanentError{err} }

type permanentError struct{ err error }

func (e permanentError) Error() string   { return ErrPermanent.Error() + ": " + e.err.Error() }
func (e permanentError) Unwrap() []error { return []error{ErrPermanent, e.err} }

// RetryAfter wraps a transient err so that Consume naks the message with
// delay instead of ConsumeConfig.RetryDelay (for instance until a pause
// ends).
func RetryAfter(err error, delay time.Duration) error { return retryError{err, delay} }

type retryError struct {
	err   error
	delay time.Duration
}

func (e retryError) Error() string { return e.err.Error() }
func (e retryError) Unwrap() error { return e.err }

// deadReason is what the dead letter of a message terminated for err says.
func deadReason(err error) string {
	var p permanentError
	if errors.As(err, &p) && p.err != nil {
		return p.err.Error()
	}
	return err.Error()
}

// retryDelay is the nak delay for a transient err.
func retryDelay(err error, def time.Duration) time.Duration {
	var r retryError
	if errors.As(err, &r) && r.delay > 0 {
		return r.delay
	}
	return def
}

// ConsumeConfig describes a durable, explicit-ack pull consumer.
type ConsumeConfig struct {
	Stream  string
	Durable string
	Filter  string // subject filter; empty = all subjects of the stream
	// DeliverNew starts a new durable at new messages instead of the stream's start.
	DeliverNew bool
	// AckWait defaults to 30s; MaxDeliver to 20.
	AckWait    time.Duration
	MaxDeliver int
	// HandleTimeout bounds one handler call (default AckWait); longer
	// only for handlers that report progress (msg.InProgress).
	HandleTimeout time.Duration
	// RetryDelay is the NakWithDelay for transient errors (default 5s).
	RetryDelay time.Duration
	// Batch is how many messages one fetch takes (default 16); 1 for long
	// jobs on a work queue, so other workers get the rest.
	Batch  int
	Logger *slog.Logger
	// JS stores the dead letters of messages terminated for a permanent
	// error (see DeadLetter); Consume sets it. Without it such messages
	// are only logged.
	JS jetstream.JetStream
	// BeforeFetch, when set, runs before each fetch; Consume returns nil
	// when it returns an error (it waits, for instance, while sending is
	// paused, and fails only when ctx is done).
	BeforeFetch func(ctx context.Context) error

	// Description and MaxAckPending are set on the consumer (JetStream's
	// default when zero).
	Description   string
	MaxAckPending int
	// GiveUpAfter is how long Consume keeps trying to create its consumer
	// (with backoff) before it returns an error, so the process exits and
	// its supervisor restarts it. Default 5 minutes.
	GiveUpAfter time.Duration
	// Health, when set, hears the consumer's state ("retrying" with the
	// error while it cannot be created, "running" once it consumes) and
	// Progress after every message handled.
	Health ConsumerHealth
}

// ConsumerHealth receives a consumer's state changes and progress.
type ConsumerHealth interface {
	Set(state string, err error)
	Progress()
}

// Consumer states reported to ConsumerHealth.
const (
	StateRetrying = "retrying"
	StateRunning  = "running"
)

// setDefaults fills the defaults written beside the fields.
func (c *ConsumeConfig) setDefaults() {
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.MaxDeliver == 0 {
		c.MaxDeliver = 20
	}
	if c.HandleTimeout <= 0 {
		c.HandleTimeout = c.AckWait
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = 5 * time.Second
	}
	if c.Batch <= 0 {
		c.Batch = 16
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.GiveUpAfter <= 0 {
		c.GiveUpAfter = 5 * time.Minute
	}
}

func (c *ConsumeConfig) health(state string, err error) {
	if c.Health != nil {
		c.Health.Set(state, err)
	}
}

// Handler handles one message. nil acks it; an error wrapping ErrPermanent
// terminates it after a copy is kept in the DEAD stream; any other error
// naks it with a delay.
type Handler func(ctx context.Context, msg jetstream.Msg) error

// ErrConsumerGone is returned by ConsumeWith when its consumer no longer
// exists on the server (deleted, or lost with a stream's replicas).
var ErrConsumerGone = errors.New("bus: consumer gone")

// Consume runs handler on every message of a durable consumer until ctx is
// done. It creates (or updates) the consumer, retrying with backoff while
// the cluster cannot (no leader yet, a node down), and creates it again if
// it disappears; it returns an error only when it could not create it for
// GiveUpAfter. On cancel it stops fetching, lets the message in hand
// finish and returns nil.
func Consume(ctx context.Context, js jetstream.JetStream, cfg ConsumeConfig, handler Handler) error {
	cfg.setDefaults()
	if cfg.JS == nil {
		cfg.JS = js
	}
	cc := jetstream.ConsumerConfig{
		Durable:       cfg.Durable,
		Description:   cfg.Description,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		FilterSubject: cfg.Filter,
		MaxAckPending: cfg.MaxAckPending,
	}
	if cfg.DeliverNew {
		cc.DeliverPolicy = jetstream.DeliverNewPolicy
	}
	log := cfg.Logger
	for ctx.Err() == nil {
		cons, err := createConsumer(ctx, js, cfg, cc)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		err = ConsumeWith(ctx, cons, cfg, handler)
		if !errors.Is(err, ErrConsumerGone) {
			return err
		}
		log.Warn("consumer gone; creating it again", "consumer", cfg.Durable, "stream", cfg.Stream)
	}
	return nil
}

// createConsumer creates or updates cc, retrying with backoff for up to
// cfg.GiveUpAfter.
func createConsumer(ctx context.Context, js jetstream.JetStream, cfg ConsumeConfig, cc jetstream.ConsumerConfig) (jetstream.Consumer, error) {
	start := time.Now()
	delay := 200 * time.Millisecond
	for {
		cons, err := js.CreateOrUpdateConsumer(ctx, cfg.Stream, cc)
		if err == nil {
			return cons, nil
		}
		err = fmt.Errorf("bus: consumer %s on %s: %w", cfg.Durable, cfg.Stream, err)
		cfg.health(StateRetrying, err)
		if time.Since(start) > cfg.GiveUpAfter {
			return nil, fmt.Errorf("%w (gave up after %s)", err, cfg.GiveUpAfter)
		}
		cfg.Logger.Warn("consumer not created yet; retrying", "consumer", cfg.Durable, "stream", cfg.Stream, "err", err, "retry_in", delay)
		if clock.Sleep(ctx, delay) != nil {
			return nil, ctx.Err()
		}
		delay = min(2*delay, 15*time.Second)
	}
}

// ConsumeWith runs handler on an existing consumer, as Consume does.
func ConsumeWith(ctx context.Context, cons jetstream.Consumer, cfg ConsumeConfig, handler Handler) error {
	cfg.setDefaults()
	log := cfg.Logger
	// The message in hand is finished with a context that outlives ctx, so a
	// shutdown does not cut a half-sent email.
	work := context.WithoutCancel(ctx)
	cfg.health(StateRunning, nil)
	failures := 0
	for ctx.Err() == nil {
		if cfg.BeforeFetch != nil && cfg.BeforeFetch(ctx) != nil {
			return nil
		}
		batch, err := cons.Fetch(cfg.Batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrConsumerDeleted) {
				return fmt.Errorf("%w: %s: %v", ErrConsumerGone, cfg.Durable, err)
			}
			failures++
			if failures >= 5 {
				cfg.health(StateRetrying, err)
				// The consumer may be gone with a lost stream leader: ask.
				if _, ierr := cons.Info(ctx); errors.Is(ierr, jetstream.ErrConsumerNotFound) {
					return fmt.Errorf("%w: %s: %v", ErrConsumerGone, cfg.Durable, ierr)
				}
			}
			log.Warn("fetch failed", "consumer", cfg.Durable, "err", err)
			if clock.Sleep(ctx, time.Second) != nil {
				return nil
			}
			continue
		}
		if failures > 0 {
			failures = 0
			cfg.health(StateRunning, nil)
		}
		for msg := range batch.Messages() {
			if ctx.Err() != nil {
				// Not started: hand it back at once for the next run.
				_ = msg.Nak()
				continue
			}
			hctx, cancel := context.WithTimeout(work, cfg.HandleTimeout)
			herr := handleSafely(hctx, handler, msg, cfg.Durable, log)
			cancel()
			if cfg.Health != nil {
				cfg.Health.Progress()
			}
			switch {
			case herr == nil:
				if err := msg.Ack(); err != nil {
					log.Warn("ack failed", "consumer", cfg.Durable, "subject", msg.Subject(), "err", err)
				}
			case errors.Is(herr, ErrPermanent):
				Terminate(work, cfg.JS, msg, cfg.Durable, deadReason(herr), cfg.RetryDelay, log)
			default:
				delay := retryDelay(herr, cfg.RetryDelay)
				log.Warn("message will be retried", "consumer", cfg.Durable, "subject", msg.Subject(), "err", herr, "retry_ms", delay.Milliseconds())
				if err := msg.NakWithDelay(delay); err != nil {
					log.Warn("nak failed", "consumer", cfg.Durable, "subject", msg.Subject(), "err", err)
				}
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && ctx.Err() == nil {
			log.Debug("batch ended", "consumer", cfg.Durable, "err", err)
		}
	}
	return nil
}

// handleSafely runs handler on msg, turning a panic into a permanent
// error: one message, however malformed, can never stop a consumer. The
// panic is logged with the message's subject, id and stream sequence and
// the stack; the message goes to the DEAD stream with the panic as reason.
func handleSafely(ctx context.Context, handler Handler, msg jetstream.Msg, consumer string, log *slog.Logger) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		attrs := []any{"consumer", consumer, "subject", msg.Subject(), "panic", fmt.Sprint(r), "stack", string(debug.Stack())}
		if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" {
			attrs = append(attrs, "msg_id", id)
		}
		if md, merr := msg.Metadata(); merr == nil {
			attrs = append(attrs, "stream", md.Stream, "stream_seq", md.Sequence.Stream)
		}
		log.Error("handler panicked: message dead-lettered", attrs...)
		metrics.Recovered.WithLabelValues("consumer:" + consumer).Inc()
		err = Permanent(fmt.Errorf("handler panicked: %v", r))
	}()
	return handler(ctx, msg)
}

// Terminate ends msg, which consumer can never handle: it keeps a copy
// with reason in the DEAD stream (when js is not nil), then terminates it;
// if the copy cannot be stored, msg is retried after retry instead, so
// nothing is lost.
func Terminate(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, consumer, reason string, retry time.Duration, log *slog.Logger) {
	if js != nil {
		if err := DeadLetter(ctx, js, msg, consumer, reason); err != nil {
			log.Error("message kept for retry: its dead letter could not be stored", "consumer", consumer, "subject", msg.Subject(), "reason", reason, "err", err)
			_ = msg.NakWithDelay(retry)
			return
		}
	}
	log.Error("message terminated", "consumer", consumer, "subject", msg.Subject(), "reason", reason, "dead_letter", js != nil)
	if len(reason) > 200 {
		reason = strings.ToValidUTF8(reason[:200], "")
	}
	if err := msg.TermWithReason(reason); err != nil {
		log.Warn("term failed", "consumer", consumer, "subject", msg.Subject(), "err", err)
	}
}
