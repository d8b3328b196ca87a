package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
			// Work queue: a request is removed once a notifier handled it.
			Name:       StreamOutbox,
			Subjects:   []string{"outbox.>"},
			Storage:    jetstream.FileStorage,
			Retention:  jetstream.WorkQueuePolicy,
			MaxAge:     7 * 24 * time.Hour,
			Duplicates: 10 * time.Minute,
			Replicas:   replicas,
		},
		{
			Name:      StreamCrawl,
			Subjects:  []string{SubjectCrawlRunPrefix + ">"},
			Storage:   jetstream.FileStorage,
			Retention: jetstream.WorkQueuePolicy,
			MaxAge:    24 * time.Hour,
			// One run per source and activation: ticks of daily sources
			// are deduplicated across crawler processes and restarts.
			Duplicates: 24 * time.Hour,
			Replicas:   replicas,
		},
	}
}

// KVConfigs returns the key-value buckets of DESIGN.md.
func KVConfigs(replicas int) []jetstream.KeyValueConfig {
	if replicas < 1 {
		replicas = 1
	}
	return []jetstream.KeyValueConfig{
		{Bucket: KVProfiles, Description: "graduate profiles (source of truth): <profile id> -> Profile JSON; the last 16 versions (consent history in the graduate's data export)", History: 16, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVProfileEmails, Description: "address hash -> profile id", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVAlertsPending, Description: "matches waiting for a digest: <frequency>.<profile>.<offer>", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVAlertsSent, Description: "never-twice ledger: <profile>.<offer or cluster>", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVCrawlState, Description: "per-source crawl state", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVOfferFingerprints, Description: "duplicate fingerprint -> first offer id", History: 1, TTL: 90 * 24 * time.Hour, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVUnsubscribed, Description: "profiles that unsubscribed from alerts", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVFeedback, Description: "graduates' feedback on offers: <profile>.<offer> -> verdict", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVOfficers, Description: "placement officers added at run time: token digest -> name", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVRecruiters, Description: "recruiters added at run time: token digest -> company name", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVVisits, Description: "graduates' visits to their matches: <profile> -> previous and last visit", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVSources, Description: "sources enabled, disabled or added at runtime: by whom, when", History: 5, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVOffersClosed, Description: "closed offers (not seen again, closed by their recruiter): <offer id> -> reason, time", History: 1, TTL: closedTTL, Storage: jetstream.FileStorage, Replicas: replicas},
		{Bucket: KVSuppressed, Description: "suppression list: address hash -> bounce or refusal; cleared when the graduate confirms again", History: 1, Storage: jetstream.FileStorage, Replicas: replicas},
	}
}

// Setup creates or updates every stream and KV bucket with replicas
// copies. It never lowers the replica count of an existing stream or
// bucket: asked to, it keeps the existing one and warns. It is idempotent
// and safe to call from every process at start, several at once. It also
// deletes the PROFILES stream of earlier versions.
func Setup(ctx context.Context, js jetstream.JetStream, replicas int, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	for _, sc := range StreamConfigs(replicas) {
		sc.Replicas = keepReplicas(ctx, js, sc.Name, sc.Replicas, log)
		if err := retry(ctx, func() error {
			_, err := js.CreateOrUpdateStream(ctx, sc)
			return err
		}); err != nil {
			return fmt.Errorf("bus: setup stream %s: %w", sc.Name, err)
		}
	}
	for _, kc := range KVConfigs(replicas) {
		kc.Replicas = keepReplicas(ctx, js, "KV_"+kc.Bucket, kc.Replicas, log)
		if err := retry(ctx, func() error {
			_, err := js.CreateOrUpdateKeyValue(ctx, kc)
			return err
		}); err != nil {
			return fmt.Errorf("bus: setup kv %s: %w", kc.Bucket, err)
		}
	}
	if err := js.DeleteStream(ctx, StreamProfilesOld); err == nil {
		log.Info("deleted the PROFILES stream of an earlier version: profiles are watched in the KV bucket now")
	} else if !errors.Is(err, jetstream.ErrStreamNotFound) {
		log.Warn("could not delete the obsolete PROFILES stream", "err", err)
	}
	return nil
}

// keepReplicas returns the replica count to configure stream with: want,
// unless the stream exists with more.
func keepReplicas(ctx context.Context, js jetstream.JetStream, stream string, want int, log *slog.Logger) int {
	st, err := js.Stream(ctx, stream)
	if err != nil {
		return want
	}
	info, err := st.Info(ctx)
	if err != nil {
		return want
	}
	if have := info.Config.Replicas; have > want {
		log.Warn("keeping the replica count of an existing stream: no command lowers it", "stream", stream, "replicas", have, "asked", want)
		return have
	}
	return want
}

// retry runs op until it succeeds, a few times, over the errors that
// several processes setting up a fresh cluster at once meet (a stream
// being created by another, a leader not elected yet).
func retry(ctx context.Context, op func() error) error {
	var err error
	delay := 100 * time.Millisecond
	for attempt := range 8 {
		if err = op(); err == nil {
			return nil
		}
		if attempt == 7 || ctx.Err() != nil {
			break
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, 3*time.Second)
	}
	return err
}
