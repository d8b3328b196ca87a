package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/jobs"
)

// Duplicates across sources. The same job is often on several boards;
// jobs.Fingerprint gives its copies one key, and the notifier's ledger
// sends a cluster once. Which copy is published matters: a source's terms
// may forbid e-mailing its offers, or showing them behind a sign-in. When
// the first copy seen came from such a source and a later copy's terms
// allow more, the later copy is published too (same fingerprint, so the
// graduate still gets the job once: the ledger keys alerts by cluster, and
// "my matches" shows one copy per cluster, the most usable). When the
// recorded copy was closed (its board stopped listing it) while another
// board still lists the job, that board's copy takes over the cluster and
// is published: the job stays open to graduates.

// Copy is one offer carrying a fingerprint, with what its source's terms
// allow, as the fingerprint store records it.
type Copy struct {
	OfferID string `json:"id"`
	// Email: Terms.EmailAllowed. Signup: Terms.ShowBehindSignup.
	Email  bool `json:"email,omitempty"`
	Signup bool `json:"signup,omitempty"`
}

// CopyOf is what the fingerprint store records of o.
func CopyOf(o jobs.Offer) Copy {
	return Copy{OfferID: o.ID, Email: o.Terms.EmailAllowed, Signup: o.Terms.ShowBehindSignup}
}

// betters reports whether c allows something the recorded copy r does
// not, and nothing less: it is worth publishing beside r.
func (c Copy) betters(r Copy) bool {
	if (r.Email && !c.Email) || (r.Signup && !c.Signup) {
		return false
	}
	return (c.Email && !r.Email) || (c.Signup && !r.Signup)
}

// encode is the stored form of c.
func (c Copy) encode() []byte {
	b, _ := json.Marshal(c) // cannot fail: strings and booleans
	return b
}

// decodeCopy reads a stored copy; a value written before copies carried
// their terms is a bare offer id (terms unknown: nothing allowed).
func decodeCopy(b []byte) Copy {
	var c Copy
	if len(b) > 0 && b[0] == '{' && json.Unmarshal(b, &c) == nil && c.OfferID != "" {
		return c
	}
	return Copy{OfferID: strings.TrimSpace(string(b))}
}

// Claim outcomes.
const (
	// ClaimNew: the first copy of its cluster; publish it.
	ClaimNew = iota
	// ClaimSame: the recorded copy seen again (an update); publish it.
	ClaimSame
	// ClaimBetter: a duplicate whose terms allow more than the recorded
	// copy's (e-mail, or showing behind a sign-in), or whose recorded copy
	// was closed; it is now the recorded copy; publish it.
	ClaimBetter
	// ClaimDuplicate: a duplicate that allows nothing more; drop it.
	ClaimDuplicate
)

// FingerprintStore records, per duplicate cluster (fingerprint), the copy
// to publish. Claim returns the copy recorded before the call (c itself
// for ClaimNew) and what to do with c. closed, when not nil, reports
// whether an offer was closed: a duplicate replaces a closed recorded copy.
type FingerprintStore interface {
	Claim(ctx context.Context, fingerprint string, c Copy, closed func(offerID string) bool) (recorded Copy, outcome int, err error)
}

// decide is the outcome of claiming c over the recorded copy r.
func decide(r, c Copy, closed func(string) bool) int {
	switch {
	case r.OfferID == c.OfferID:
		return ClaimSame
	case c.betters(r):
		return ClaimBetter
	case closed != nil && closed(r.OfferID):
		return ClaimBetter
	}
	return ClaimDuplicate
}

// MemFingerprints is an in-memory FingerprintStore for tests and offline runs.
type MemFingerprints struct {
	mu sync.Mutex
	m  map[string]Copy
}

var _ FingerprintStore = (*MemFingerprints)(nil)

// NewMemFingerprints returns an empty in-memory FingerprintStore.
func NewMemFingerprints() *MemFingerprints { return &MemFingerprints{m: map[string]Copy{}} }

// Claim implements FingerprintStore.
func (f *MemFingerprints) Claim(_ context.Context, fingerprint string, c Copy, closed func(string) bool) (Copy, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.m[fingerprint]
	if !ok {
		f.m[fingerprint] = c
		return c, ClaimNew, nil
	}
	out := decide(r, c, closed)
	if out == ClaimBetter {
		f.m[fingerprint] = c
	}
	return r, out, nil
}

// kvFingerprints is the NATS KV FingerprintStore (bus.KVOfferFingerprints).
type kvFingerprints struct{ kv jetstream.KeyValue }

var _ FingerprintStore = kvFingerprints{}

// NewKVFingerprints returns a FingerprintStore over a JetStream KeyValue
// bucket; Create and Update (compare-and-set on the revision) make claims
// atomic across crawler processes.
func NewKVFingerprints(kv jetstream.KeyValue) FingerprintStore { return kvFingerprints{kv: kv} }

// maxClaimTries bounds the compare-and-set loop of one claim (another
// crawler updating the same cluster at the same moment).
const maxClaimTries = 8

func (f kvFingerprints) Claim(ctx context.Context, fingerprint string, c Copy, closed func(string) bool) (Copy, int, error) {
	key := stateKey(fingerprint)
	for range maxClaimTries {
		_, err := f.kv.Create(ctx, key, c.encode())
		if err == nil {
			return c, ClaimNew, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return Copy{}, 0, fmt.Errorf("crawler: claim fingerprint %s: %w", fingerprint, err)
		}
		e, err := f.kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
			continue // purged meanwhile: create again
		}
		if err != nil {
			return Copy{}, 0, fmt.Errorf("crawler: read fingerprint %s: %w", fingerprint, err)
		}
		r := decodeCopy(e.Value())
		out := decide(r, c, closed)
		if out != ClaimBetter {
			return r, out, nil
		}
		if _, err := f.kv.Update(ctx, key, c.encode(), e.Revision()); err == nil {
			return r, ClaimBetter, nil
		} else if !errors.Is(err, jetstream.ErrKeyExists) && !bus.IsWrongRevision(err) {
			return Copy{}, 0, fmt.Errorf("crawler: update fingerprint %s: %w", fingerprint, err)
		}
		// Another claim changed it first: decide again on its value.
	}
	return Copy{}, 0, fmt.Errorf("crawler: claim fingerprint %s: still contended after %d tries", fingerprint, maxClaimTries)
}
