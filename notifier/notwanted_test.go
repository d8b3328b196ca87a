package notifier

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// memNotWanted is a graduate's "no" answers: offer ids and clusters.
type memNotWanted struct {
	mu  sync.Mutex
	ids map[string]bool // profile + "|" + offer id or "cluster:" + fingerprint
}

func (m *memNotWanted) NotWanted(_ context.Context, profileID, offerID, cluster string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ids[profileID+"|"+offerID] || (cluster != "" && m.ids[profileID+"|cluster:"+cluster]), nil
}

// TestNoMailForWhatTheGraduateTurnedDown: an offer the graduate turned
// down is not mailed instantly; a match waiting for a digest whose job the
// graduate turned down since (another copy of it: same fingerprint)
// leaves the digest; other offers still go.
func TestNoMailForWhatTheGraduateTurnedDown(t *testing.T) {
	h := newHarness(t, nil, nil)
	no := &memNotWanted{ids: map[string]bool{"g-inst|src:said-no": true}}
	withDeliverability(t, h, func(_ *Config, d *Deps) { d.NotWanted = no })
	ctx := context.Background()

	inst := testProfile("g-inst", "fr", profiles.FrequencyInstant)
	if err := h.n.HandleMatch(ctx, testMatch("g-inst", "src:said-no", "Offre refusée", 0.9), inst); err != nil {
		t.Fatal(err)
	}
	if err := h.n.HandleMatch(ctx, testMatch("g-inst", "src:other", "Autre offre", 0.9), inst); err != nil {
		t.Fatal(err)
	}

	daily := testProfile("g-day", "fr", profiles.FrequencyDaily)
	copyOfJob := testMatch("g-day", "board2:copy", "Copie du poste refusé", 0.9)
	copyOfJob.Offer.Fingerprint = "fp-job"
	open := testMatch("g-day", "src:open", "Offre ouverte", 0.6)
	open.Offer.Fingerprint = "fp-other"
	if err := h.n.HandleMatch(ctx, open, daily); err != nil {
		t.Fatal(err)
	}
	if err := h.n.HandleMatch(ctx, copyOfJob, daily); err != nil {
		t.Fatal(err)
	}
	// She turns down another copy of the job while its match waits for
	// the digest.
	no.mu.Lock()
	no.ids["g-day|cluster:fp-job"] = true
	no.mu.Unlock()
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.mp.WaitFor(ctx, 2, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	// Nothing else arrives after the two.
	time.Sleep(200 * time.Millisecond)
	msgs, err := h.mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want 2 (the other instant offer, the digest)", len(msgs))
	}
	var all strings.Builder
	for _, s := range msgs {
		m, err := h.mp.Message(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		all.WriteString(m.Text)
	}
	for _, want := range []string{"Autre offre", "Offre ouverte"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("mails lack %q:\n%s", want, all.String())
		}
	}
	for _, gone := range []string{"Offre refusée", "Copie du poste refusé"} {
		if strings.Contains(all.String(), gone) {
			t.Errorf("a mail carries %q, which the graduate turned down:\n%s", gone, all.String())
		}
	}
}
