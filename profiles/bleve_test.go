package profiles_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

func TestBleveStoreInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) profiles.Store {
		s, err := profiles.OpenBleve(profiles.BleveConfig{})
		if err != nil {
			t.Fatalf("OpenBleve: %v", err)
		}
		return s
	})
}

func TestBleveStoreOnDisk(t *testing.T) {
	storetest.Run(t, func(t *testing.T) profiles.Store {
		s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: t.TempDir()})
		if err != nil {
			t.Fatalf("OpenBleve: %v", err)
		}
		return s
	})
}

func TestBleveSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := profiles.Profile{ID: "r1", Name: "Imane", City: "Fès", Skills: []string{"Go", "NATS"}, Availability: "2026-03-01"}
	if err := s.Put(ctx, want, profiles.Profile{ID: "r2", City: "Oujda"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "r2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Get(ctx, "r1"); err == nil {
		t.Error("Get on a closed store succeeded")
	}

	s, err = profiles.OpenBleve(profiles.BleveConfig{Dir: dir})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	got, err := s.Get(ctx, "r1")
	if err != nil {
		t.Fatalf("Get after reopen: %v", err)
	}
	if got.Name != want.Name || !slices.Equal(got.Skills, want.Skills) || got.UpdatedAt.IsZero() {
		t.Errorf("after reopen got %+v", got)
	}
	if _, err := s.Get(ctx, "r2"); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("deleted profile came back after reopen: %v", err)
	}
	res, err := s.Search(ctx, profiles.Query{City: "fes", Skills: []string{"nats"}, Text: "imane"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Profiles[0].ID != "r1" {
		t.Errorf("search after reopen = %+v", res)
	}
}

func TestBleveRejectsForeignIndexDir(t *testing.T) {
	dir := t.TempDir()
	// A directory in the index's place that is not a Bleve index.
	if err := os.MkdirAll(filepath.Join(dir, "profiles.bleve"), 0o750); err != nil {
		t.Fatal(err)
	}
	if s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: dir}); err == nil {
		s.Close()
		t.Fatal("OpenBleve accepted a directory that holds no index")
	}
}

func TestBleveAvailabilityUsesClock(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 10, 23, 30, 0, 0, time.UTC)
	s, err := profiles.OpenBleve(profiles.BleveConfig{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Put(ctx,
		profiles.Profile{ID: "a", Availability: "2026-05-10"},
		profiles.Profile{ID: "b", Availability: "2026-05-11"},
		profiles.Profile{ID: "c", Availability: "immediate"},
		profiles.Profile{ID: "d"},
	)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		avail string
		want  []string
	}{
		{"immediate", []string{"a", "c"}},
		{"2026-05-11", []string{"a", "b", "c"}},
		{"2026-05-09", []string{"c"}},
		{"", []string{"a", "b", "c", "d"}},
	}
	for _, tc := range cases {
		res, err := s.Search(ctx, profiles.Query{Availability: tc.avail})
		if err != nil {
			t.Fatal(err)
		}
		if got := profileIDs(res.Profiles); !slices.Equal(got, tc.want) {
			t.Errorf("Availability %q: got %v, want %v", tc.avail, got, tc.want)
		}
	}
	got, err := s.Get(ctx, "d")
	if err != nil {
		t.Fatal(err)
	}
	if !got.UpdatedAt.Equal(now) {
		t.Errorf("UpdatedAt = %v, want the store clock %v", got.UpdatedAt, now)
	}
}

func TestBleveTextStemming(t *testing.T) {
	// More stemming cases than the shared suite's TextSemantics (the
	// Meilisearch index gets the same stems from profiles/textterms.go).
	ctx := context.Background()
	s, err := profiles.OpenBleve(profiles.BleveConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Put(ctx,
		profiles.Profile{ID: "fr", Headline: "Analystes des données de l'entreprise"},
		profiles.Profile{ID: "en", Headline: "Building dashboards"},
	)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []string
	}{
		{"analyste donnee", []string{"fr"}},
		{"entreprise", []string{"fr"}},
		{"dashboard build", []string{"en"}},
		{"dashboard analyste", nil},
		{"  ,;!  ", []string{"en", "fr"}}, // no words: no text filter
	}
	for _, tc := range cases {
		res, err := s.Search(ctx, profiles.Query{Text: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		if got := profileIDs(res.Profiles); !slices.Equal(got, tc.want) {
			t.Errorf("Text %q: got %v, want %v", tc.text, got, tc.want)
		}
	}
}

func profileIDs(ps []profiles.Profile) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// linearScan is the benchmark baseline: profiles with their skill and city
// keys folded once, scanned in id order.
type linearScan struct {
	ps     []profiles.Profile
	skills []map[string]bool
	cities []string
}

func newLinearScan(ps []profiles.Profile) *linearScan {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b profiles.Profile) int { return strings.Compare(a.ID, b.ID) })
	l := &linearScan{ps: ps}
	for _, p := range ps {
		m := map[string]bool{}
		for _, s := range p.Skills {
			m[profiles.FoldKey(s)] = true
		}
		l.skills = append(l.skills, m)
		l.cities = append(l.cities, profiles.FoldKey(p.City))
	}
	return l
}

// search handles the Skills and City filters only, like the benchmark query.
func (l *linearScan) search(q profiles.Query) profiles.Result {
	var want []string
	for _, s := range q.Skills {
		want = append(want, profiles.FoldKey(s))
	}
	city := profiles.FoldKey(q.City)
	var res profiles.Result
	for i, p := range l.ps {
		if city != "" && l.cities[i] != city {
			continue
		}
		ok := true
		for _, s := range want {
			if !l.skills[i][s] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		res.Total++
		if len(res.Profiles) < profiles.DefaultLimit {
			res.Profiles = append(res.Profiles, p)
		}
	}
	return res
}

// benchProfiles returns n deterministic profiles with 5 skills out of 40
// and a city out of 10.
func benchProfiles(n int) []profiles.Profile {
	skills := make([]string, 40)
	for i := range skills {
		skills[i] = fmt.Sprintf("Skill%02d", i)
	}
	skills[0] = "Python"
	cities := []string{"Oujda", "Fès", "Casablanca", "Rabat", "Tanger", "Nador", "Berkane", "Marrakech", "Agadir", "Meknès"}
	r := rand.New(rand.NewPCG(1, 2))
	ps := make([]profiles.Profile, n)
	for i := range ps {
		var sk []string
		for _, j := range r.Perm(len(skills))[:5] {
			sk = append(sk, skills[j])
		}
		ps[i] = profiles.Profile{
			ID:       fmt.Sprintf("b%05d", i),
			Name:     fmt.Sprintf("Graduate %d", i),
			City:     cities[r.IntN(len(cities))],
			Country:  "MA",
			Skills:   sk,
			Headline: "Data and AI graduate",
		}
	}
	return ps
}

// BenchmarkBleveSearch filters 10,000 profiles by skill and city in the
// in-memory and on-disk Bleve stores; BenchmarkBleveSearch/linear_scan is
// the baseline: a scan of the same profiles in memory with their keys
// folded in advance (the strongest simple baseline), counting all matches
// and keeping the first page by id.
func BenchmarkBleveSearch(b *testing.B) {
	const n = 10000
	ps := benchProfiles(n)
	q := profiles.Query{Skills: []string{"python"}, City: "oujda"}
	ctx := context.Background()

	want := -1
	b.Run("linear_scan", func(b *testing.B) {
		scan := newLinearScan(ps)
		for b.Loop() {
			res := scan.search(q)
			want = res.Total
		}
		b.ReportMetric(float64(want), "matches")
	})
	for _, disk := range []bool{false, true} {
		name := "bleve_memory"
		cfg := profiles.BleveConfig{}
		if disk {
			name = "bleve_disk"
			cfg.Dir = b.TempDir()
		}
		b.Run(name, func(b *testing.B) {
			s, err := profiles.OpenBleve(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for chunk := range slices.Chunk(ps, 1000) {
				if err := s.Put(ctx, chunk...); err != nil {
					b.Fatal(err)
				}
			}
			if disk {
				// Measure the steady state of a restarted server rather
				// than segments still being persisted after the import.
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				if s, err = profiles.OpenBleve(cfg); err != nil {
					b.Fatal(err)
				}
				defer s.Close()
			}
			var total int
			for b.Loop() {
				res, err := s.Search(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			if want >= 0 && total != want {
				b.Fatalf("bleve found %d matches, linear scan %d", total, want)
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// TestBleveSecondProcessGetsAClearError: a second opener of the same
// directory (another process in production) gets ErrIndexBusy within
// seconds instead of blocking for ever on the index's lock.
func TestBleveSecondProcessGetsAClearError(t *testing.T) {
	dir := t.TempDir()
	first, err := profiles.OpenBleve(profiles.BleveConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	done := make(chan error, 1)
	go func() {
		s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: dir})
		if err == nil {
			s.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, profiles.ErrIndexBusy) {
			t.Fatalf("second open: %v, want ErrIndexBusy", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("second open still blocked after 20 s")
	}
}
