package notifier

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// memLedger is an in-memory Ledger for unit tests, with the KVLedger's
// two phases (claims never go stale here).
type memLedger struct {
	mu   sync.Mutex
	keys map[string]ledgerEntry
	rev  uint64
}

func (l *memLedger) Claim(_ context.Context, p, k, msgID string) (Claim, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = map[string]ledgerEntry{}
	}
	if e, ok := l.keys[LedgerKey(p, k)]; ok {
		if e.State == ledgerSent {
			return Claim{State: AlreadySent}, nil
		}
		return Claim{State: InFlight, MessageID: e.MessageID}, nil
	}
	l.rev++
	l.keys[LedgerKey(p, k)] = ledgerEntry{State: ledgerPending, MessageID: msgID}
	return Claim{State: Claimed, MessageID: msgID, Revision: l.rev}, nil
}

func (l *memLedger) Sent(_ context.Context, p, k string, c Claim) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys[LedgerKey(p, k)] = ledgerEntry{State: ledgerSent, MessageID: c.MessageID}
	return nil
}

func (l *memLedger) Release(_ context.Context, p, k string, _ Claim) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, LedgerKey(p, k))
	return nil
}

// has reports whether k was marked sent to p.
func (l *memLedger) has(p, k string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keys[LedgerKey(p, k)].State == ledgerSent
}

var testSecret = []byte("test-secret-0123456789")

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testConfig() Config {
	return Config{
		BaseURL:           "https://passerelle.example.org",
		Secret:            testSecret,
		SendRate:          1000,
		UnsubscribeMailto: "unsubscribe@passerelle.example.org",
		Logger:            quietLogger(),
		// testMatch gives every offer one company: the per-company cap
		// has its own test (TestDigestCapsAfterNeverTwice).
		DigestPerCompany: 1000,
	}
}

func newTestNotifier(t *testing.T, cfg Config, deps Deps) *Notifier {
	t.Helper()
	n, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func testProfile(id, locale, freq string) profiles.Profile {
	return profiles.Profile{
		ID: id, Name: "Salma B.", Email: id + "@example.org", Locale: locale,
		City: "Oujda", Country: "MA", Languages: []string{"fr", "ar", "en"},
		Alerts:  profiles.Alerts{Frequency: freq},
		Consent: profiles.Consent{Alerts: true},
	}
}

func testMatch(profileID, offerID, title string, score float64) matcher.Match {
	posted := time.Now().Add(-48 * time.Hour)
	o := &jobs.Offer{
		ID: offerID, Source: "remoteok", URL: "https://jobs.example.com/" + offerID,
		Title: title, Company: "Acme <Data>", Workplace: jobs.Remote,
		Eligibility: jobs.Eligibility{Countries: []string{"MA", "FR"}, Known: true},
		Seniority:   "junior", Employment: []string{"full_time"},
		Skills:   []string{"python", "pandas", "spark"},
		PostedAt: &posted,
		Terms:    jobs.Terms{Attribution: "Remote OK", EmailAllowed: true},
	}
	return matcher.Match{
		ProfileID: profileID, OfferID: offerID, URL: o.URL, Title: title, Company: o.Company,
		Score: score, MatchedSkills: []string{"python", "pandas"}, MissingSkills: []string{"spark"},
		Reasons: []string{"remote, open to Morocco", "junior role", "2 of 3 required skills"},
		ReasonKeys: []matcher.Reason{
			{Key: "remote_open_to", Args: []string{"MA"}},
			{Key: "seniority_fit", Args: []string{"junior"}},
			{Key: "skills_matched", Args: []string{"2", "3"}},
		},
		Offer: o,
	}
}

func jobsTermsNoEmail() jobs.Terms { return jobs.Terms{Attribution: "Some board", EmailAllowed: false} }
