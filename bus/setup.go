package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Connect dials url ("nats://host:4222", several comma-separated for a
// cluster) with reconnects forever, or the embedded server in-process when
// ns is not nil.
func Connect(url string, ns *server.Server, name string) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
	}
	if ns != nil {
		opts = append(opts, nats.InProcessServer(ns))
		url = nats.DefaultURL
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("bus: connect %s: %w", url, err)
	}
	return nc, nil
}

// StreamConfigs returns the streams of DESIGN.md. replicas is 1 for the
// embedded server and typically 3 on a cluster.
func StreamConfigs(replicas int) []jetstream.StreamConfig {
	if replicas < 1 {
		replicas = 1
	}
	return []jetstream.StreamConfig{
		{
			Name:       StreamOffers,
			Subjects:   []string{SubjectOfferNew, SubjectOfferUpdated, SubjectOfferClosed},
			Storage:    jetstream.FileStorage,
			Retention:  jetstream.LimitsPolicy,
			MaxAge:     45 * 24 * time.Hour, // back-fill window (30 days) plus margin
			Duplicates: DuplicateWindow,
			Replicas:   replicas,
		},
		{
			Name:       StreamProfiles,
			Subjects:   []string{SubjectProfileChanged, SubjectProfileDeleted},
			Storage:    jetstream.FileStorage,
			Retention:  jetstream.LimitsPolicy,
			MaxAge:     30 * 24 * time.Hour,
			Duplicates: 2 * time.Minute,
			Replicas:   replicas,
		},
		{
			Name:       StreamMatches,
			Subjects:   []string{SubjectMatchesAll},
			Storage:    jetstream.FileStorage,
			Retention:  jetstream.LimitsPolicy,
			MaxAge:     30 * 24 * time.Hour,
			Duplicates: DuplicateWindow,
			Replicas:   replicas,
		},
		{
			// Dead letters, and the advisories of messages a consumer
			// gave up on, are kept 90 days, up to 1 GiB; when full, new
			// ones are refused, so their originals are retried rather
			// than lost.
			Name:      StreamDead,
			Subjects:  []string{SubjectDeadPrefix + ">", SubjectMaxDeliveries},
			Storage:   jetstream.FileStorage,
			Retention: jetstream.LimitsPolicy,
			MaxAge:    90 * 24 * time.Hour,
			MaxBytes:  1 << 30,
			Discard:   jetstream.DiscardNew,
			Replicas:  replicas,
		},
		{
			Name:      StreamCrawl,
			Subjects:  []string{SubjectCrawlRunPrefix + ">"},
			Storage:   jetstream.FileStorage,
			Retention: jetstream.WorkQueuePolicy,
			MaxAge:    24 * time.Hour,
			Replicas:  replicas,
		},
	}
}

// KVConfigs returns the key-value buckets of DESIGN.md.
func KVConfigs(replicas int) []jetstream.KeyValueConfig {
	if replicas < 1 {
		replicas = 1
	}
	return []jetstream.KeyValueConfig{
		{Bucket: KVAlertsSent, Description: "never-twice ledger: <profile>.<offer or cluster>", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVCrawlState, Description: "per-source crawl state", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVOfferFingerprints, Description: "duplicate fingerprint -> first offer id", History: 1, TTL: 90 * 24 * time.Hour, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVUnsubscribed, Description: "profiles that unsubscribed from alerts", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVSources, Description: "sources enabled, disabled or added at runtime: by whom, when", History: 5, Storage: jetstream.FileStorage, Replicas: replicas},
	}
}

// Setup creates or updates every stream and KV bucket. It is idempotent and
// safe to call from every process at start.
func Setup(ctx context.Context, js jetstream.JetStream, replicas int) error {
	for _, sc := range StreamConfigs(replicas) {
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return fmt.Errorf("bus: setup stream %s: %w", sc.Name, err)
		}
	}
	for _, kc := range KVConfigs(replicas) {
		if _, err := js.CreateOrUpdateKeyValue(ctx, kc); err != nil {
			return fmt.Errorf("bus: setup kv %s: %w", kc.Bucket, err)
		}
	}
	return nil
}
