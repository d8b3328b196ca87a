package profiles_test

import (
	"context"
	"slices"
	"testing"

	"github.com/passerelle/passerelle/profiles"
)

// TestBleveOldMappingRebuilt: an index written by mapping 5 (the version
// before) opens as stale; its profiles can still be read (to move them to
// the bucket, MigrateToRepo), and Reset makes it anew with the current
// mapping, where filters, ranges and sorts work again. (internal/app's
// openStore resets a stale index and the indexer refills it.)
func TestBleveOldMappingRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old, err := profiles.OpenBleveV5(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := []profiles.Profile{
		{ID: "m1", Name: "Salma", City: "Oujda", GraduationYear: 2023, Skills: []string{"Python"}, Consent: profiles.Consent{Searchable: true}},
		{ID: "m2", Name: "Yassine", City: "Nador", GraduationYear: 2025, Skills: []string{"Java"}, Consent: profiles.Consent{Searchable: true}},
		{ID: "m3", Name: "Nour", City: "Oujda", GraduationYear: 2021, Skills: []string{"SQL"}},
	}
	if err := old.Put(ctx, ps...); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Stale() {
		t.Fatal("an index of mapping 5 is not reported stale")
	}
	var ids []string
	if err := s.Each(ctx, func(p profiles.Profile) error { ids = append(ids, p.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []string{"m1", "m2", "m3"}) {
		t.Fatalf("profiles read from the old index: %v", ids)
	}
	if p, err := s.Get(ctx, "m2"); err != nil || p.City != "Nador" {
		t.Fatalf("Get from the old index: %+v, %v", p, err)
	}

	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Stale() {
		t.Fatal("stale after Reset")
	}
	if err := s.Put(ctx, ps...); err != nil {
		t.Fatal(err)
	}
	for _, plain := range []bool{true, false} {
		profiles.SetBlevePlainSearch(s, plain)
		res, err := s.Search(ctx, profiles.Query{City: "oujda", YearFrom: 2022, Sort: profiles.SortYear, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Profiles[0].ID != "m1" {
			t.Errorf("plain %v: city and year range after the rebuild = %+v", plain, res)
		}
		res, err = s.Search(ctx, profiles.Query{OnlySearchable: true, Sort: profiles.SortYear, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range res.Profiles {
			got = append(got, p.ID)
		}
		if !slices.Equal(got, []string{"m2", "m1"}) {
			t.Errorf("plain %v: searchable by year after the rebuild = %v", plain, got)
		}
	}
	// Reopened, the rebuilt index is current.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = profiles.OpenBleve(profiles.BleveConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Stale() {
		t.Error("the rebuilt index is stale when reopened")
	}
}
