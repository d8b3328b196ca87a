package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// eraser is the App as the web's Eraser.
type eraser struct{ a *App }

func (e eraser) EraseProfile(ctx context.Context, id string) (any, error) {
	return e.a.EraseProfile(ctx, id)
}

// EraseReport counts what EraseProfile removed.
type EraseReport struct {
	Profile     bool `json:"profile"`      // the profile was in the bucket
	LedgerKeys  int  `json:"ledger_keys"`  // alerts sent
	Digests     int  `json:"digests"`      // matches waiting for a digest
	Matches     int  `json:"matches"`      // messages of the MATCHES stream
	DeadLetters int  `json:"dead_letters"` // dead letters about them
	Outbox      int  `json:"outbox"`       // mail requests not yet handled
	Feedback    int  `json:"feedback"`     // answers about offers
}

// EraseProfile removes everything Passerelle holds about a graduate: the
// profile (purged from the bucket with its history and address entry; the
// matchers and the search index follow the bucket, and this process's
// index drops it at once), the sent ledger, pending digests, the
// unsubscription record, their messages in the MATCHES stream, dead
// letters and queued mails about them, and the address's entry in the
// suppression list. Erasing an unknown id is not an
// error.
func (a *App) EraseProfile(ctx context.Context, id string) (EraseReport, error) {
	var rep EraseReport
	p, err := a.repo.Get(ctx, id)
	switch {
	case err == nil:
		rep.Profile = true
	case !errors.Is(err, profiles.ErrNotFound):
		return rep, err
	}
	if err := a.repo.Delete(ctx, id); err != nil {
		return rep, err
	}
	// The indexer follows the bucket in the background: let it apply the
	// purge first, so that a put it had not yet applied cannot bring the
	// document back after the delete below.
	a.waitIndexed(ctx, "erase "+id)
	if a.store != nil {
		if err := a.store.Delete(ctx, id); err != nil {
			return rep, fmt.Errorf("erase %s from the search index: %w", id, err)
		}
	}
	tok := bus.KeyToken(id)
	n, err := purgeKeys(ctx, a.js, bus.KVAlertsSent, tok+".>")
	rep.LedgerKeys = n
	if err != nil {
		return rep, err
	}
	if p.Email != "" {
		// Sign-up mails sent before the profile existed.
		n, err := purgeKeys(ctx, a.js, bus.KVAlertsSent, bus.KeyToken(notifier.SignupLedgerID(p.Email))+".>")
		rep.LedgerKeys += n
		if err != nil {
			return rep, err
		}
	}
	if rep.Digests, err = purgeKeys(ctx, a.js, bus.KVAlertsPending, "*."+tok+".>"); err != nil {
		return rep, err
	}
	if _, err = purgeKeys(ctx, a.js, bus.KVUnsubscribed, tok); err != nil {
		return rep, err
	}
	if p.Email != "" {
		// The suppression list knows the address by its hash only.
		if _, err = purgeKeys(ctx, a.js, bus.KVSuppressed, notifier.SuppressionKey(p.Email)); err != nil {
			return rep, err
		}
	}
	if _, err = purgeKeys(ctx, a.js, bus.KVVisits, tok); err != nil {
		return rep, fmt.Errorf("erase %s's visits: %w", id, err)
	}
	if rep.Feedback, err = purgeKeys(ctx, a.js, bus.KVFeedback, tok+".>"); err != nil {
		return rep, err
	}
	st, err := a.js.Stream(ctx, bus.StreamMatches)
	if err != nil {
		return rep, fmt.Errorf("erase %s: %w", id, err)
	}
	if info, err := st.Info(ctx, jetstream.WithSubjectFilter(bus.MatchSubject(id))); err == nil {
		rep.Matches = int(info.State.Subjects[bus.MatchSubject(id)])
	}
	if err := st.Purge(ctx, jetstream.WithPurgeSubject(bus.MatchSubject(id))); err != nil {
		return rep, fmt.Errorf("erase %s's matches: %w", id, err)
	}
	about := func(m *jetstream.RawStreamMsg) bool {
		if m.Header.Get(bus.HeaderDeadSubject) == bus.MatchSubject(id) || m.Subject == bus.MatchSubject(id) {
			return true
		}
		if bytes.Contains(m.Data, []byte(`"profile_id":"`+id+`"`)) {
			return true
		}
		return p.Email != "" && bytes.Contains(bytes.ToLower(m.Data), []byte(strings.ToLower(p.Email)))
	}
	if rep.DeadLetters, err = eraseMessages(ctx, a.js, bus.StreamDead, about); err != nil {
		return rep, err
	}
	if rep.Outbox, err = eraseMessages(ctx, a.js, bus.StreamOutbox, about); err != nil {
		return rep, err
	}
	// Markers of purged keys name the profile's id: drop them too.
	for _, b := range []string{bus.KVProfiles, bus.KVProfileEmails, bus.KVAlertsSent, bus.KVAlertsPending, bus.KVUnsubscribed, bus.KVFeedback, bus.KVSuppressed, bus.KVVisits} {
		kv, err := a.js.KeyValue(ctx, b)
		if err != nil {
			return rep, fmt.Errorf("erase %s: %w", id, err)
		}
		if err := kv.PurgeDeletes(ctx, jetstream.DeleteMarkersOlderThan(-1)); err != nil {
			return rep, fmt.Errorf("erase %s: purge markers of %s: %w", id, b, err)
		}
	}
	a.log.Info("profile erased", "profile_id", id, "found", rep.Profile, "ledger_keys", rep.LedgerKeys, "digests", rep.Digests,
		"matches", rep.Matches, "dead_letters", rep.DeadLetters, "outbox", rep.Outbox)
	return rep, nil
}

// purgeKeys purges the keys of bucket matching filter and counts them.
func purgeKeys(ctx context.Context, js jetstream.JetStream, bucket, filter string) (int, error) {
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", bucket, err)
	}
	lister, err := kv.ListKeysFiltered(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("list %s %s: %w", bucket, filter, err)
	}
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	_ = lister.Stop()
	for _, k := range keys {
		if err := kv.Purge(ctx, k); err != nil {
			return 0, fmt.Errorf("purge %s %s: %w", bucket, k, err)
		}
	}
	return len(keys), nil
}

// eraseMessages securely deletes the messages of stream that about
// selects, and counts them.
func eraseMessages(ctx context.Context, js jetstream.JetStream, stream string, about func(*jetstream.RawStreamMsg) bool) (int, error) {
	st, err := js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", stream, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", stream, err)
	}
	n := 0
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("read %s %d: %w", stream, seq, err)
		}
		if !about(m) {
			continue
		}
		if err := st.SecureDeleteMsg(ctx, seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return n, fmt.Errorf("erase %s %d: %w", stream, seq, err)
		}
		n++
	}
	return n, nil
}
