package crawler

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSourcesDefaultSet(t *testing.T) {
	srcs, err := LoadSources("")
	if err != nil {
		t.Fatalf("embedded default sources: %v", err)
	}
	if len(srcs) < 8 {
		t.Fatalf("%d default sources, want the public boards and ATS boards", len(srcs))
	}
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for _, s := range srcs {
		if s.AllowPrivate || !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("%s: default sources must be public https URLs (%s, allow_private %v)", s.Name, s.URL, s.AllowPrivate)
		}
		if s.Terms.Attribution == "" || s.Notes == "" {
			t.Errorf("%s: attribution and notes on the terms are required", s.Name)
		}
		if _, ok := FormatByName(s.Kind); !ok {
			t.Errorf("%s: kind %q is not a registered format", s.Name, s.Kind)
		}
		sched, err := cronParser.Parse(s.Schedule)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		// Polite: hourly or less often, and never under the owner's minimum.
		prev := sched.Next(start)
		for range 5 {
			next := sched.Next(prev)
			if gap := next.Sub(prev); gap < time.Hour || gap < s.MinInterval() {
				t.Errorf("%s: runs %s apart, want >= 1h and >= the minimum interval %s", s.Name, gap, s.MinInterval())
			}
			prev = next
		}
		// Only sources whose terms and endpoint were verified run by
		// default; the others say why in their notes.
		verified := strings.HasPrefix(s.Notes, "Verified")
		if verified != s.IsEnabled() {
			t.Errorf("%s: enabled %v but notes %q: only verified sources ship enabled", s.Name, s.IsEnabled(), s.Notes[:min(40, len(s.Notes))])
		}
		if !strings.HasPrefix(s.Terms.AttributionURL, "https://") {
			t.Errorf("%s: attribution_url %q, want the owner's https site", s.Name, s.Terms.AttributionURL)
		}
		// Owners whose terms forbid a job-alert service are not defaults.
		for _, host := range []string{"weworkremotely.com", "remotive.com"} {
			if strings.Contains(s.URL, host) {
				t.Errorf("%s: %s forbids this use and is not in the default set", s.Name, host)
			}
		}
		switch s.Kind {
		case "jobicy":
			if !s.Terms.ApplyViaListing || s.MinInterval() < time.Hour || !s.Terms.EmailAllowed {
				t.Errorf("%s: Jobicy requires apply buttons to its listing and at most hourly polls: %+v, %s", s.Name, s.Terms, s.MinInterval())
			}
		case "himalayas":
			if s.MinInterval() < 24*time.Hour {
				t.Errorf("%s: Himalayas refreshes once a day: minimum interval %s", s.Name, s.MinInterval())
			}
		}
	}
	var enabled []string
	for _, s := range srcs {
		if s.IsEnabled() {
			enabled = append(enabled, s.Name)
		}
	}
	if got := strings.Join(enabled, ","); got != "jobicy-emea-data,jobicy-emea-engineering,jobicy-data,remoteok,mistral" {
		t.Errorf("enabled by default: %s", got)
	}
}

func TestSourcesValidation(t *testing.T) {
	good := `{"name":"acme","kind":"auto","url":"https://acme.test/jobs","terms":{"attribution":"Acme"}}`
	tests := []struct {
		name      string
		json      string
		wantField string // "" means valid
	}{
		{"valid", good, ""},
		{"bad name", strings.Replace(good, `"acme"`, `"Acme Jobs"`, 1), "name"},
		{"no kind", strings.Replace(good, `"kind":"auto",`, ``, 1), "kind"},
		{"unknown kind", strings.Replace(good, `"auto"`, `"nope"`, 1), "kind"},
		{"ftp url", strings.Replace(good, `https://acme.test/jobs`, `ftp://acme.test/`, 1), "url"},
		{"relative url", strings.Replace(good, `https://acme.test/jobs`, `/jobs`, 1), "url"},
		{"credentials", strings.Replace(good, `https://acme.test`, `https://u:p@acme.test`, 1), "url"},
		{"bad schedule", strings.Replace(good, `"kind"`, `"schedule":"every hour","kind"`, 1), "schedule"},
		{"rate too high", strings.Replace(good, `"kind"`, `"rate_per_second":50,"kind"`, 1), "rate_per_second"},
		{"negative pages", strings.Replace(good, `"kind"`, `"max_pages":-1,"kind"`, 1), "max_pages"},
		{"no attribution", strings.Replace(good, `"Acme"`, `""`, 1), "terms.attribution"},
		{"bad duration", strings.Replace(good, `"kind"`, `"poll_cap":"soon","kind"`, 1), "poll_cap"},
		{"unknown field", strings.Replace(good, `"kind"`, `"shedule":"@daily","kind"`, 1), "shedule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, err := parseSources([]byte(`{"sources":[`+tt.json+`]}`), knownKind)
			if tt.wantField == "" {
				if err != nil || len(srcs) != 1 {
					t.Fatalf("valid source rejected: %v", err)
				}
				s := srcs[0]
				if s.Schedule != DefaultSchedule || s.MaxPages != DefaultMaxPages || s.MaxDetails != DefaultMaxDetails || !s.IsEnabled() {
					t.Errorf("defaults not filled: %+v", s)
				}
				return
			}
			if err == nil {
				t.Fatal("invalid source accepted")
			}
			if !strings.Contains(err.Error(), tt.wantField) {
				t.Errorf("error %q does not name field %q", err, tt.wantField)
			}
			if !strings.Contains(err.Error(), `"acme"`) && !strings.Contains(err.Error(), `"Acme Jobs"`) {
				t.Errorf("error %q does not name the source", err)
			}
		})
	}
	two := `{"sources":[` + good + `,` + good + `]}`
	if _, err := parseSources([]byte(two), knownKind); err == nil || !errors.Is(err, ErrInvalidSource) || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate names: err = %v", err)
	}
}

func TestSourcesLoadFileAndDurations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sources.json")
	body := `{"sources":[{"name":"board","kind":"auto","url":"https://board.test/feed","schedule":"@every 3h",
		"jitter":"90s","poll_cap":"2h","enabled":false,"terms":{"attribution":"Board","email_allowed":true},
		"options":{"next":"a.next"},"follow_detail":true,"max_details":7}]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := LoadSources(path)
	if err != nil {
		t.Fatal(err)
	}
	s := srcs[0]
	if s.Jitter != 90*time.Second || s.PollCap != 2*time.Hour || s.IsEnabled() || !s.Terms.EmailAllowed ||
		s.Options["next"] != "a.next" || !s.FollowDetail || s.MaxDetails != 7 || s.Schedule != "@every 3h" {
		t.Errorf("loaded %+v", s)
	}
	// Round trip through JSON keeps the durations readable.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"jitter":"1m30s"`) || !strings.Contains(string(b), `"poll_cap":"2h0m0s"`) {
		t.Errorf("marshalled %s", b)
	}
	var back SourceConfig
	if err := json.Unmarshal(b, &back); err != nil || back.Jitter != s.Jitter || back.PollCap != s.PollCap {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if _, err := LoadSources(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
}

func FuzzParseSources(f *testing.F) {
	f.Add(string(defaultSourcesJSON))
	f.Add(`{"sources":[{"name":"a","kind":"auto","url":"https://a.test/","jitter":"1s","poll_cap":"-1h","terms":{"attribution":"A"}}]}`)
	f.Add(`{"sources":[{"name":"a","kind":"auto","url":"https://a.test/","schedule":"@every 0s","terms":{"attribution":"A"}}]}`)
	f.Add(`{"sources":null}`)
	f.Fuzz(func(t *testing.T, data string) {
		srcs, err := parseSources([]byte(data), knownKind)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range srcs {
			if err := validateSource(s, knownKind); err != nil || seen[s.Name] || s.MaxPages <= 0 || s.MaxDetails <= 0 {
				t.Fatalf("accepted an invalid source %+v: %v", s, err)
			}
			seen[s.Name] = true
		}
	})
}
