package bus

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// deadLetters reads the DEAD stream.
func deadLetters(t *testing.T, js jetstream.JetStream) []*jetstream.RawStreamMsg {
	t.Helper()
	dead, err := DeadLetters(context.Background(), js, 100)
	if err != nil {
		t.Fatal(err)
	}
	return dead
}

// TestConsumeKeepsDeadLetters runs a consumer whose handler fails one
// message for good: that message must end in the DEAD stream with its
// data, original subject, consumer and reason, and not be delivered again;
// the others are handled normally.
func TestConsumeKeepsDeadLetters(t *testing.T) {
	js := startJS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i, body := range []string{`{"id":"ok:1"}`, `not json`, `{"id":"ok:2"}`} {
		if _, err := js.Publish(ctx, SubjectOfferNew, []byte(body), jetstream.WithMsgID("m"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	handled := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- Consume(ctx, js, ConsumeConfig{Stream: StreamOffers, Durable: "dead-test", RetryDelay: 50 * time.Millisecond}, func(_ context.Context, msg jetstream.Msg) error {
			handled <- string(msg.Data())
			if string(msg.Data()) == "not json" {
				return Permanent(errors.New("bad offer JSON"))
			}
			return nil
		})
	}()
	deadline := time.Now().Add(10 * time.Second)
	var dead []*jetstream.RawStreamMsg
	for time.Now().Before(deadline) {
		if dead = deadLetters(t, js); len(dead) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(dead) != 1 {
		t.Fatalf("%d dead letters, want 1", len(dead))
	}
	d := dead[0]
	if string(d.Data) != "not json" || d.Subject != DeadSubject("dead-test") {
		t.Errorf("dead letter %q on %s, want %q on %s", d.Data, d.Subject, "not json", DeadSubject("dead-test"))
	}
	for k, want := range map[string]string{
		HeaderDeadSubject: SubjectOfferNew, HeaderDeadConsumer: "dead-test", HeaderDeadStream: StreamOffers,
		HeaderDeadSequence: "2", HeaderDeadReason: "bad offer JSON",
	} {
		if got := d.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	// The consumer has nothing left: the bad message was terminated, not
	// retried.
	deadline = time.Now().Add(5 * time.Second)
	for {
		cons, err := js.Consumer(ctx, StreamOffers, "dead-test")
		if err != nil {
			t.Fatal(err)
		}
		info, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.NumPending == 0 && info.NumAckPending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer still has %d pending, %d awaiting ack", info.NumPending, info.NumAckPending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(handled)
	n := 0
	for range handled {
		n++
	}
	if n != 3 {
		t.Errorf("handler ran %d times, want 3 (once per message)", n)
	}
}

// TestDeadLetterStoreDownKeepsMessage removes the DEAD stream: a message
// failing for good must then be retried, not dropped, and reach the DEAD
// stream once it is back.
func TestDeadLetterStoreDownKeepsMessage(t *testing.T) {
	js := startJS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := js.DeleteStream(ctx, StreamDead); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, SubjectOfferNew, []byte("not json")); err != nil {
		t.Fatal(err)
	}
	attempts := make(chan struct{}, 100)
	done := make(chan error, 1)
	go func() {
		done <- Consume(ctx, js, ConsumeConfig{Stream: StreamOffers, Durable: "dead-down", RetryDelay: 50 * time.Millisecond}, func(context.Context, jetstream.Msg) error {
			attempts <- struct{}{}
			return Permanent(errors.New("bad offer JSON"))
		})
	}()
	// Two attempts prove the message came back after the failed copy.
	for range 2 {
		select {
		case <-attempts:
		case <-time.After(10 * time.Second):
			t.Fatal("the message was not delivered again after its dead letter failed")
		}
	}
	if err := Setup(ctx, js, 1, nil); err != nil { // the DEAD stream is back
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(deadLetters(t, js)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no dead letter once the DEAD stream was back")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestDeadSubject(t *testing.T) {
	for in, want := range map[string]string{"notifier": "dead.notifier", "matcher-profiles-a.b": "dead.matcher-profiles-a_b", "": "dead.unknown", "x *>\x01": "dead.x____"} {
		if got := DeadSubject(in); got != want {
			t.Errorf("DeadSubject(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaxDeliveriesAdvisoryKept makes a consumer give up on a message after
// its MaxDeliver attempts: JetStream's advisory, which names the stream and
// sequence where the message stays, must be kept in the DEAD stream.
func TestMaxDeliveriesAdvisoryKept(t *testing.T) {
	js := startJS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ack, err := js.Publish(ctx, SubjectOfferNew, []byte(`{"id":"flaky:1"}`))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- Consume(ctx, js, ConsumeConfig{Stream: StreamOffers, Durable: "gives-up", MaxDeliver: 2, RetryDelay: 20 * time.Millisecond}, func(context.Context, jetstream.Msg) error {
			return errors.New("store unavailable") // transient, every time
		})
	}()
	var adv struct {
		Stream    string `json:"stream"`
		Consumer  string `json:"consumer"`
		StreamSeq uint64 `json:"stream_seq"`
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		dead := deadLetters(t, js)
		if len(dead) > 0 {
			if err := json.Unmarshal(dead[0].Data, &adv); err != nil {
				t.Fatalf("advisory %q: %v", dead[0].Data, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no max-deliveries advisory in the DEAD stream")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if adv.Stream != StreamOffers || adv.Consumer != "gives-up" || adv.StreamSeq != ack.Sequence {
		t.Errorf("advisory names %s/%s seq %d, want %s/gives-up seq %d", adv.Stream, adv.Consumer, adv.StreamSeq, StreamOffers, ack.Sequence)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestReplayDead: a dead letter listed for operators is published again on
// its original subject with its own headers once its cause is fixed, handled
// by the consumer, and gone from the DEAD stream.
func TestReplayDead(t *testing.T) {
	js := startJS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msg := &nats.Msg{Subject: SubjectOfferNew, Header: nats.Header{"X-Trace": []string{"7"}}, Data: []byte("not json")}
	if _, err := js.PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
	var fixed atomic.Bool
	handled := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- Consume(ctx, js, ConsumeConfig{Stream: StreamOffers, Durable: "replay-test", RetryDelay: 50 * time.Millisecond}, func(_ context.Context, m jetstream.Msg) error {
			if !fixed.Load() {
				return Permanent(errors.New("parser bug"))
			}
			handled <- string(m.Data()) + " " + m.Headers().Get("X-Trace")
			return nil
		})
	}()
	var dead []Dead
	for deadline := time.Now().Add(10 * time.Second); len(dead) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no dead letter after 10 s")
		}
		time.Sleep(20 * time.Millisecond)
		var err error
		if dead, err = ListDead(ctx, js, 10); err != nil {
			t.Fatal(err)
		}
	}
	d := dead[0]
	if len(dead) != 1 || d.Subject != SubjectOfferNew || d.Consumer != "replay-test" || d.Reason != "parser bug" || d.Data != "not json" || d.Size != 8 || d.Time.IsZero() {
		t.Fatalf("dead letters %+v", dead)
	}

	fixed.Store(true)
	subject, err := ReplayDead(ctx, js, d.Seq)
	if err != nil || subject != SubjectOfferNew {
		t.Fatalf("ReplayDead = %q, %v", subject, err)
	}
	select {
	case got := <-handled:
		if got != "not json 7" {
			t.Errorf("replayed message handled as %q, want data and headers kept", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("replayed message not handled within 10 s")
	}
	if left := deadLetters(t, js); len(left) != 0 {
		t.Errorf("%d dead letters left after replay", len(left))
	}
	if _, err := ReplayDead(ctx, js, d.Seq); !errors.Is(err, ErrNotDead) {
		t.Errorf("second replay: %v, want ErrNotDead", err)
	}
	cancel()
	<-done
}

// TestConsumeRecoversPanics: a handler that panics on one message does
// not stop the consumer; that message is dead-lettered with the panic as
// its reason and the following ones are handled.
func TestConsumeRecoversPanics(t *testing.T) {
	js := startJS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i, body := range []string{`first`, `boom`, `last`} {
		if _, err := js.Publish(ctx, SubjectOfferNew, []byte(body), jetstream.WithMsgID("p"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	handled := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- Consume(ctx, js, ConsumeConfig{Stream: StreamOffers, Durable: "panic-test", RetryDelay: 50 * time.Millisecond}, func(_ context.Context, msg jetstream.Msg) error {
			if string(msg.Data()) == "boom" {
				var s []int
				_ = s[len(msg.Data())] // index out of range
			}
			handled <- string(msg.Data())
			return nil
		})
	}()
	var got []string
	timeout := time.After(10 * time.Second)
	for len(got) < 2 {
		select {
		case s := <-handled:
			got = append(got, s)
		case err := <-done:
			t.Fatalf("consumer stopped: %v (handled %v)", err, got)
		case <-timeout:
			t.Fatalf("handled %v, want first and last", got)
		}
	}
	var dead []*jetstream.RawStreamMsg
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && len(dead) == 0; time.Sleep(20 * time.Millisecond) {
		dead = deadLetters(t, js)
	}
	if len(dead) != 1 || string(dead[0].Data) != "boom" {
		t.Fatalf("dead letters %v, want the panicking message", dead)
	}
	if r := dead[0].Header.Get(HeaderDeadReason); !strings.Contains(r, "panicked") || !strings.Contains(r, "index out of range") {
		t.Errorf("dead letter reason %q does not name the panic", r)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
