package matcher

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/profiles"
)

// listSource lists profiles in the order given, as a store that does not
// sort by id (Meilisearch) would.
type listSource []profiles.Profile

func (l listSource) Each(_ context.Context, fn func(profiles.Profile) error) error {
	for _, p := range l {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// TestServiceCompactsLoad: a load out of id order is compacted before the
// service is ready, on a real (embedded) JetStream.
func TestServiceCompactsLoad(t *testing.T) {
	js := natstest.JetStream(t)
	var src listSource
	for _, id := range []string{"c", "a", "b"} {
		p := graduate()
		p.ID = id
		src = append(src, p)
	}
	ix := NewIndex(testOptions(t))
	svc := NewService(ServiceConfig{Instance: "compact-test", Logger: slog.New(slog.DiscardHandler)}, js, ix, src)
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan error, 1), make(chan error, 1)
	go func() { done <- svc.Run(ctx, ready) }()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("service not ready after 30 s")
	}
	if ix.Len() != 3 || ix.Disordered() {
		t.Fatalf("after the load: %d profiles, disordered %v; want 3, false", ix.Len(), ix.Disordered())
	}
	ms := ix.Match(remoteOffer())
	if len(ms) != 3 || ms[0].ProfileID != "a" || ms[2].ProfileID != "c" {
		t.Fatalf("matches after compaction: %+v", ms)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("service did not stop after 30 s")
	}
}
