package app

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// residue lists every place of every stream and KV bucket whose key,
// subject, headers or data mention one of needles.
func residue(t *testing.T, js jetstream.JetStream, needles ...string) []string {
	t.Helper()
	ctx := context.Background()
	var found []string
	for name := range js.StreamNames(ctx).Name() {
		st, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
			m, err := st.GetMsg(ctx, seq)
			if errors.Is(err, jetstream.ErrMsgNotFound) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			var hdr bytes.Buffer
			for k, vs := range m.Header {
				hdr.WriteString(k + ":" + strings.Join(vs, ",") + "\n")
			}
			for _, n := range needles {
				tok := bus.KeyToken(n)
				for _, hay := range [][]byte{[]byte(m.Subject), hdr.Bytes(), bytes.ToLower(m.Data)} {
					if bytes.Contains(hay, []byte(strings.ToLower(n))) || (tok != n && bytes.Contains(hay, []byte(tok))) {
						found = append(found, name+" #"+strconv.FormatUint(seq, 10)+" ("+m.Subject+") mentions "+n)
					}
				}
			}
		}
	}
	return found
}

// TestEraseLeavesNothing: after a graduate's erasure, no stream or bucket
// (KV buckets are streams too) holds their id or address: profile, address
// entry, search index, sent ledger, digests, unsubscription, matches, dead
// letters, queued link mails.
func TestEraseLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	ctx := context.Background()
	ps := e2eProfiles()
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, ps)); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	gone := ps[2] // g-tanger, nora@example.org
	m := matcher.Match{ProfileID: gone.ID, OfferID: "demo:1", Title: "Data", Score: 0.8}
	if err := bus.PublishJSON(ctx, a.js, bus.MatchSubject(gone.ID), bus.MatchMsgID("demo:1", gone.ID), m); err != nil {
		t.Fatal(err)
	}
	if c, err := a.alerts.Ledger.Claim(ctx, gone.ID, "demo:1", "x@y"); err != nil || c.State != notifier.Claimed {
		t.Fatal(c, err)
	}
	if err := a.alerts.Digests.Add(ctx, "daily", notifier.Pending{Match: m, Profile: gone, QueuedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := a.Unsubscribe(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.alerts.Suppressions.Suppress(ctx, gone.Email, "recipient rejected (5.1.1)", time.Now()); err != nil {
		t.Fatal(err)
	}
	dead := &nats.Msg{Subject: bus.DeadSubject("notifier"), Header: nats.Header{bus.HeaderDeadSubject: []string{bus.MatchSubject(gone.ID)}}, Data: []byte(`{"profile_id":"` + gone.ID + `"}`)}
	if _, err := a.js.PublishMsg(ctx, dead); err != nil {
		t.Fatal(err)
	}
	if err := notifier.RequestLink(ctx, a.js, gone.Email, "fr", time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := residue(t, a.js, gone.ID, gone.Email); len(r) == 0 {
		t.Fatal("the test put nothing about the graduate: residue cannot fail")
	}
	rep, err := a.EraseProfile(ctx, gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Profile || rep.LedgerKeys != 1 || rep.Digests != 1 || rep.Matches != 1 || rep.DeadLetters != 1 || rep.Outbox != 1 {
		t.Errorf("erase report %+v", rep)
	}
	if r := residue(t, a.js, gone.ID, gone.Email); len(r) > 0 {
		t.Errorf("left after erasure:\n%s", strings.Join(r, "\n"))
	}
	if _, err := a.Repo().Get(ctx, gone.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("profile still in the bucket: %v", err)
	}
	// The suppression list knows the address by a hash, which residue
	// cannot see: its stream must hold nothing for that key.
	if sup, err := a.alerts.Suppressions.Suppressed(ctx, gone.Email); err != nil || sup {
		t.Errorf("address still suppressed after erasure: %v %v", sup, err)
	}
	if st, err := a.js.Stream(ctx, "KV_"+bus.KVSuppressed); err != nil {
		t.Fatal(err)
	} else if info, err := st.Info(ctx); err != nil || info.State.Msgs != 0 {
		t.Errorf("suppressed bucket keeps %d messages (markers) after erasure: %v", info.State.Msgs, err)
	}
	if _, err := a.Store().Get(ctx, gone.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("profile still in the search index: %v", err)
	}
	if _, err := a.Repo().ByEmail(ctx, gone.Email); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("address still found: %v", err)
	}
	// The others are untouched.
	if _, err := a.Repo().Get(ctx, ps[0].ID); err != nil {
		t.Errorf("another profile: %v", err)
	}
}
