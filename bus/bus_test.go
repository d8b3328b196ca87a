package bus

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

func startJS(t *testing.T) jetstream.JetStream {
	t.Helper()
	ns, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nc, err := Connect("", ns, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := Setup(ctx, js, 1, nil); err != nil {
		t.Fatal(err)
	}
	// Setup is idempotent: a second process calling it at start must not fail.
	if err := Setup(ctx, js, 1, nil); err != nil {
		t.Fatalf("second Setup: %v", err)
	}
	return js
}

func TestPublishDeduplicatesByMsgID(t *testing.T) {
	js := startJS(t)
	ctx := context.Background()
	for range 3 {
		if err := PublishJSON(ctx, js, SubjectOfferNew, "src:1", map[string]string{"id": "src:1"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := PublishJSON(ctx, js, SubjectOfferNew, "src:2", map[string]string{"id": "src:2"}); err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(ctx, StreamOffers)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.State.Msgs; got != 2 {
		t.Fatalf("stream holds %d messages, want 2 (same Nats-Msg-Id published 3 times)", got)
	}
}

func TestConsumeAckTermAndRetry(t *testing.T) {
	js := startJS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, id := range []string{"ok", "bad", "flaky"} {
		if err := PublishJSON(ctx, js, SubjectOfferNew, id, id); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	done := make(chan error, 1)
	go func() {
		done <- Consume(ctx, js, ConsumeConfig{Stream: StreamOffers, Durable: "t", RetryDelay: 50 * time.Millisecond},
			func(_ context.Context, m jetstream.Msg) error {
				id := string(m.Data())
				mu.Lock()
				seen[id]++
				n := seen[id]
				mu.Unlock()
				switch id {
				case `"bad"`:
					return Permanent(errors.New("unreadable"))
				case `"flaky"`:
					if n < 3 {
						return errors.New("smtp down")
					}
				}
				return nil
			})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		ok := seen[`"flaky"`] >= 3 && seen[`"ok"`] >= 1 && seen[`"bad"`] >= 1
		mu.Unlock()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("messages not handled in time: %v", seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cons, err := js.Consumer(ctx, StreamOffers, "t")
	if err != nil {
		t.Fatal(err)
	}
	// Everything is acked or terminated: nothing pending, nothing to redeliver.
	for {
		info, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.NumAckPending == 0 && info.NumPending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer still has pending=%d ack_pending=%d", info.NumPending, info.NumAckPending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen[`"bad"`] != 1 {
		t.Errorf("terminated message delivered %d times, want 1", seen[`"bad"`])
	}
	if seen[`"ok"`] != 1 {
		t.Errorf("acked message delivered %d times, want 1", seen[`"ok"`])
	}
}
