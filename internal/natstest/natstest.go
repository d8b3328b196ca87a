// Package natstest starts a real, embedded NATS server with JetStream on
// disk for tests, with Passerelle's streams and buckets created.
package natstest

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
)

// JetStream starts an embedded server in t.TempDir(), runs bus.Setup, and
// returns a JetStream context; everything stops at t.Cleanup.
func JetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nc, err := bus.Connect("", ns, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Setup(context.Background(), js, 1, nil); err != nil {
		t.Fatal(err)
	}
	return js
}
