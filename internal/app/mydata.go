package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// MyData is everything Passerelle holds about one graduate, as they
// download it ("my data").
type MyData struct {
	GeneratedAt time.Time        `json:"generated_at"`
	Profile     profiles.Profile `json:"profile"`
	// ConsentHistory lists each change of consent the bucket still keeps
	// (its last 16 versions), oldest first.
	ConsentHistory []profiles.Consent `json:"consent_history"`
	// Matches are the offers matched in the last 30 days.
	Matches []matcher.Match `json:"matches"`
	// AlertsSent are the sent-ledger entries: what was mailed and when.
	AlertsSent []LedgerLine `json:"alerts_sent"`
	// Feedback are their answers about offers.
	Feedback []FeedbackLine `json:"feedback"`
	// Unsubscribed is when they unsubscribed from alerts, if they did.
	Unsubscribed string `json:"unsubscribed,omitempty"`
	// Visits is when they last opened "my matches" (for "new since my
	// last visit"), if they did.
	Visits *visitRecord `json:"visits,omitempty"`
}

// LedgerLine is one entry of the sent ledger.
type LedgerLine struct {
	Key   string          `json:"key"`
	Entry json.RawMessage `json:"entry"`
}

// FeedbackLine is one answer about an offer.
type FeedbackLine struct {
	OfferID string    `json:"offer_id"`
	Verdict string    `json:"verdict"`
	At      time.Time `json:"at"`
}

// MyData gathers everything held about the graduate with this id.
func (a *App) MyData(ctx context.Context, id string) (MyData, error) {
	p, err := a.repo.Get(ctx, id)
	if err != nil {
		return MyData{}, err
	}
	d := MyData{GeneratedAt: time.Now().UTC(), Profile: p}
	hist, err := a.repo.History(ctx, id)
	if err != nil {
		return MyData{}, err
	}
	for _, h := range hist {
		c := h.Consent
		if n := len(d.ConsentHistory); n > 0 {
			last := d.ConsentHistory[n-1]
			if last.Alerts == c.Alerts && last.Searchable == c.Searchable && last.Recruiters == c.Recruiters && last.SetBy == c.SetBy {
				continue
			}
		}
		d.ConsentHistory = append(d.ConsentHistory, c)
	}
	// Every match, the hidden ones included.
	if d.Matches, err = a.allMatches(ctx, id); err != nil {
		return MyData{}, err
	}
	tok := bus.KeyToken(id)
	prefixes := []string{tok}
	if p.Email != "" {
		prefixes = append(prefixes, bus.KeyToken(notifier.SignupLedgerID(p.Email)))
	}
	sent, err := a.js.KeyValue(ctx, bus.KVAlertsSent)
	if err != nil {
		return MyData{}, fmt.Errorf("my data: %w", err)
	}
	for _, pre := range prefixes {
		keys, err := sent.ListKeysFiltered(ctx, pre+".>")
		if err != nil {
			return MyData{}, fmt.Errorf("my data: ledger: %w", err)
		}
		for k := range keys.Keys() {
			if e, err := sent.Get(ctx, k); err == nil {
				raw := json.RawMessage(e.Value())
				if !json.Valid(raw) {
					raw, _ = json.Marshal(string(e.Value()))
				}
				d.AlertsSent = append(d.AlertsSent, LedgerLine{Key: k, Entry: raw})
			}
		}
	}
	fb, err := a.js.KeyValue(ctx, bus.KVFeedback)
	if err != nil {
		return MyData{}, fmt.Errorf("my data: %w", err)
	}
	keys, err := fb.ListKeysFiltered(ctx, tok+".>")
	if err != nil {
		return MyData{}, fmt.Errorf("my data: feedback: %w", err)
	}
	for k := range keys.Keys() {
		e, err := fb.Get(ctx, k)
		if err != nil {
			continue
		}
		var r feedbackRecord
		_ = json.Unmarshal(e.Value(), &r)
		offer, _ := bus.UnKeyToken(strings.TrimPrefix(k, tok+"."))
		if strings.HasPrefix(offer, clusterKeyPrefix) {
			continue // a copy of an answer listed here, kept for the job's other copies
		}
		d.Feedback = append(d.Feedback, FeedbackLine{OfferID: offer, Verdict: r.Verdict, At: r.At})
	}
	if un, err := a.js.KeyValue(ctx, bus.KVUnsubscribed); err == nil {
		if e, err := un.Get(ctx, tok); err == nil {
			d.Unsubscribed = string(e.Value())
		}
	}
	if vs, err := a.js.KeyValue(ctx, bus.KVVisits); err == nil {
		if e, err := vs.Get(ctx, tok); err == nil {
			var v visitRecord
			if json.Unmarshal(e.Value(), &v) == nil {
				d.Visits = &v
			}
		}
	}
	return d, nil
}

// EraseMe erases the graduate (EraseProfile) and queues a mail confirming
// it to the address they had (sent once, kept nowhere after).
func (a *App) EraseMe(ctx context.Context, id string) error {
	p, err := a.repo.Get(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.EraseProfile(ctx, id); err != nil {
		return err
	}
	if p.Email == "" {
		return nil
	}
	return notifier.RequestErasedNotice(ctx, a.js, p.Email, p.Locale, time.Now())
}

// MyDataExport is MyData for the web page (web.MyDataService).
func (a *App) MyDataExport(ctx context.Context, id string) (any, error) { return a.MyData(ctx, id) }
