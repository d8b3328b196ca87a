package bus_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/natstest"
)

// TestIsWrongRevision: an Update with a stale revision is recognised as a
// lost race on a single server (R1) and on a three-node cluster (R3),
// whose servers answer it with another error code; other errors are not.
func TestIsWrongRevision(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	check := func(t *testing.T, js jetstream.JetStream, replicas int) {
		kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "race_test", Replicas: replicas})
		if err != nil {
			t.Fatal(err)
		}
		rev, err := kv.Put(ctx, "k", []byte("1"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kv.Update(ctx, "k", []byte("2"), rev); err != nil {
			t.Fatal(err)
		}
		_, err = kv.Update(ctx, "k", []byte("3"), rev) // rev is stale now
		if err == nil {
			t.Fatal("update with a stale revision succeeded")
		}
		t.Logf("R%d stale update: %v", replicas, err)
		if !bus.IsWrongRevision(err) {
			t.Fatalf("R%d: stale update error %v not recognised as a lost race", replicas, err)
		}
		if bus.IsWrongRevision(errors.New("wrong last sequence")) || bus.IsWrongRevision(jetstream.ErrKeyNotFound) {
			t.Fatal("other errors taken for a lost race")
		}
	}
	t.Run("R1", func(t *testing.T) { check(t, natstest.JetStream(t), 1) })
	t.Run("R3", func(t *testing.T) {
		cl := natstest.StartCluster(t, 3)
		nc, err := bus.Connect(cl.URLs(), nil, t.Name())
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		check(t, js, 3)
	})
}
