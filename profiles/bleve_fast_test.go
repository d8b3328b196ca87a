package profiles_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

// The contract suite on the plain path too (the default runs take the
// fast path).
func TestBleveStorePlainPath(t *testing.T) {
	storetest.Run(t, func(t *testing.T) profiles.Store {
		s, err := profiles.OpenBleve(profiles.BleveConfig{})
		if err != nil {
			t.Fatalf("OpenBleve: %v", err)
		}
		profiles.SetBlevePlainSearch(s, true)
		return s
	})
}

// TestBleveFastPathMatchesPlain: on randomized profiles (several segments,
// deletions, updates) and randomized queries mixing text, every filter,
// facets, every sort and paging, the fast path returns what the plain
// Bleve path returns: same ids in the same order, same total, same facet
// counts.
func TestBleveFastPathMatchesPlain(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testFastMatchesPlain(t, profiles.BleveConfig{}) })
	t.Run("disk", func(t *testing.T) { testFastMatchesPlain(t, profiles.BleveConfig{Dir: t.TempDir()}) })
}

func testFastMatchesPlain(t *testing.T, cfg profiles.BleveConfig) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	cfg.Now = func() time.Time { return now }
	s, err := profiles.OpenBleve(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	profiles.SetBleveFastSyncLimit(s, 1<<30)
	r := rand.New(rand.NewPCG(3, 5))
	gen, randomQuery := randomFastFixture(r, now)
	var all []profiles.Profile
	for i := range 1200 {
		all = append(all, gen(fmt.Sprintf("g-%05d", r.IntN(100000)+i%7)))
	}
	for chunk := range slices.Chunk(all, 150) {
		if err := s.Put(ctx, chunk...); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range all[:80] {
		if err := s.Delete(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range all[300:380] {
		if err := s.Put(ctx, gen(p.ID)); err != nil {
			t.Fatal(err)
		}
	}
	nonEmpty := 0
	served := profiles.BleveFastServed(s)
	const runs = 300
	for i := range runs {
		q := randomQuery()
		profiles.SetBlevePlainSearch(s, true)
		want, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: plain: %v", q, err)
		}
		profiles.SetBlevePlainSearch(s, false)
		// The first search of a text reads its terms' postings, the
		// second finds them cached; the third walks the text with Bleve's
		// searcher, as the fast path did before (and does for a text
		// query its plan does not mirror).
		for _, pass := range []string{"first", "again", "before"} {
			profiles.SetBleveFastBefore12(s, pass == "before")
			got, err := s.Search(ctx, q)
			if err != nil {
				t.Fatalf("%+v: fast: %v", q, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("query %d (%s) %+v:\nfast  %d %v %v\nplain %d %v %v", i, pass, q, got.Total, ids(got.Profiles), got.Facets, want.Total, ids(want.Profiles), want.Facets)
			}
			profiles.WaitBleveFast(s)
		}
		profiles.SetBleveFastBefore12(s, false)
		if len(want.Profiles) > 0 {
			nonEmpty++
		}
	}
	if n := profiles.BleveFastServed(s) - served; n != 3*runs {
		t.Errorf("the fast path answered %d of %d searches", n, 3*runs)
	}
	if nonEmpty < runs/3 {
		t.Errorf("only %d of %d queries found profiles: the comparison proves little", nonEmpty, runs)
	}
}

// randomFastFixture gives generators of random profiles (gen) and of
// random officer queries mixing text, every filter, facets, every sort and
// paging, drawn from r, at time now.
func randomFastFixture(r *rand.Rand, now time.Time) (gen func(id string) profiles.Profile, randomQuery func() profiles.Query) {
	pick := func(vs []string) string { return vs[r.IntN(len(vs))] }
	some := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			if r.IntN(3) == 0 {
				out = append(out, v)
			}
		}
		return out
	}
	words := []string{"analyste", "analystes", "données", "data", "analyst", "ingénieur", "learning", "machine", "junior", "développeur", "python", "statistiques"}
	cities := []string{"Oujda", "Nador", "Berkane", "Fès", "FES", ""}
	countries := []string{"MA", "FR", ""}
	cohorts := []string{"Promo 2023", "Promo 2024", "EST Oujda — LP Informatique", "promo-2024", ""}
	skills := []string{"Python", "SQL", "pandas", "Java", "Machine learning", "Deep learning", "Apprentissage automatique", "التعلم الآلي", "statistiques", "Statistics", "Power BI", "Docker"}
	langs := []string{"fr", "ar", "en", "es"}
	workplaces := []string{"remote", "hybrid", "onsite"}
	levels := []string{"internship", "junior", "mid"}
	avails := []string{"", "immediate", "2026-12-01", "2027-01-15", "2027-03-01", "2027-07-01"}
	updated := []time.Time{now.Add(-48 * time.Hour), now.Add(-24 * time.Hour), now.Add(-time.Hour)}
	gen = func(id string) profiles.Profile {
		var hl []string
		for range 1 + r.IntN(6) {
			hl = append(hl, pick(words))
		}
		year := 2020 + r.IntN(8)
		if r.IntN(10) == 0 {
			year = 0
		}
		return profiles.Profile{ID: id, Name: "Diplômé " + pick(words), Headline: strings.Join(hl, " "),
			City: pick(cities), Country: pick(countries), Cohort: pick(cohorts), GraduationYear: year,
			Skills: some(skills), Languages: some(langs), Availability: pick(avails),
			Seeking:   profiles.Seeking{Workplace: some(workplaces), Seniority: some(levels)},
			Consent:   profiles.Consent{Searchable: r.IntN(8) > 0, Recruiters: r.IntN(2) == 0},
			UpdatedAt: updated[r.IntN(len(updated))]}
	}
	randomQuery = func() profiles.Query {
		q := profiles.Query{Facets: r.IntN(4) > 0, Limit: []int{0, 1, 20, 50, 300}[r.IntN(5)], Offset: []int{0, 0, 0, 7, 40}[r.IntN(5)]}
		if r.IntN(2) == 0 {
			q.Text = strings.Join(some(words), " ")
		}
		if r.IntN(3) == 0 {
			q.City = pick(cities)
		}
		if r.IntN(5) == 0 {
			q.Country = pick(countries)
		}
		switch r.IntN(4) {
		case 0:
			q.Skills = []string{pick(skills)}
		case 1:
			q.SkillGroups = profiles.ExpandSkills(some(skills), r.IntN(2) == 0, r.IntN(2) == 0)
		}
		switch r.IntN(4) {
		case 0:
			q.GraduationYear = 2020 + r.IntN(8)
		case 1:
			q.YearFrom, q.YearTo = 2022+r.IntN(3), 2023+r.IntN(5)
		case 2:
			q.YearFrom = 2024
		}
		if r.IntN(3) == 0 {
			q.Cohort = pick(cohorts)
		}
		if r.IntN(4) == 0 {
			q.Cohorts = some(cohorts[:4])
			if len(q.Cohorts) == 0 {
				q.Cohorts = cohorts[:1]
			}
		}
		if r.IntN(3) == 0 {
			q.Workplace = some(workplaces)
		}
		if r.IntN(4) == 0 {
			q.Seniority = some(levels)
		}
		if r.IntN(4) == 0 {
			q.Languages = some(langs)
		}
		if r.IntN(3) == 0 {
			q.Availability = pick(avails[1:])
		}
		q.OnlySearchable = r.IntN(3) > 0
		q.Recruiters = r.IntN(4) == 0
		q.Sort = []string{"", "", profiles.SortYear, profiles.SortAvailability, profiles.SortUpdated}[r.IntN(5)]
		return q
	}
	return gen, randomQuery
}

// TestFoldKeyASCII: foldKey's shortcut for ASCII labels folds as the
// general path does, on random ASCII strings (controls, quotes, dashes,
// spaces and capitals included).
func TestFoldKeyASCII(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	alphabet := []byte("aZ09 _-\"\\'\t\n\x00\x7f.,;:/()éÈ")
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = byte(r.IntN(0x80))
			} else {
				b[i] = alphabet[r.IntN(len(alphabet)-4)] // ASCII part
			}
		}
		s := string(b)
		if got, want := profiles.FoldKey(s), profiles.FoldUnicode(s); got != want {
			t.Fatalf("FoldKey(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"Fès", "  Scikit-Learn ", "التعلم الآلي", "Ça—va"} {
		if got, want := profiles.FoldKey(s), profiles.FoldUnicode(s); got != want {
			t.Errorf("FoldKey(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestBleveFastPathReadsBigSegmentsInBackground: when new segments hold
// more documents than a search reads itself, searches take the plain path
// while the columns are read in the background, then the fast path, with
// the same results.
func TestBleveFastPathReadsBigSegmentsInBackground(t *testing.T) {
	ctx := context.Background()
	s, err := profiles.OpenBleve(profiles.BleveConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	profiles.SetBleveFastSyncLimit(s, 10)
	profiles.SetBleveFastWarm(s, false) // the search alone finds the new segments
	if err := storetest.PutOfficerBenchProfiles(ctx, s, 300); err != nil {
		t.Fatal(err)
	}
	q := storetest.OfficerBenchQuery
	first, err := s.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if n := profiles.BleveFastServed(s); n != 0 {
		t.Fatalf("the fast path answered %d searches before its columns were read", n)
	}
	// (A merge of segments meanwhile would make new ones to read: a few
	// rounds at most.)
	var again profiles.Result
	for range 20 {
		profiles.WaitBleveFast(s)
		if again, err = s.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
		if profiles.BleveFastServed(s) > 0 {
			break
		}
	}
	if profiles.BleveFastServed(s) == 0 {
		t.Fatal("the fast path never answered once its columns were read")
	}
	if first.Total == 0 || !reflect.DeepEqual(first, again) {
		t.Errorf("plain then fast:\nplain %d %v\nfast  %d %v", first.Total, ids(first.Profiles), again.Total, ids(again.Profiles))
	}
}

// TestBleveFastPathInterleavedWrites: writes (one profile put, updated or
// deleted, or a few at once) interleaved with searches, as graduates edit
// their profiles while officers search: after every write, random queries
// on the fast path (the first after the write, then again once its
// background work is done) return what the plain Bleve path returns on
// the same index. The fast path carries what it knew of the segments a
// write leaves alone (id order, sort orders, facet counts, text scores),
// so this checks the carrying, not only a view built from scratch.
func TestBleveFastPathInterleavedWrites(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testInterleavedWrites(t, profiles.BleveConfig{}) })
	t.Run("disk", func(t *testing.T) { testInterleavedWrites(t, profiles.BleveConfig{Dir: t.TempDir()}) })
}

// seededFastStore opens a Bleve store (cfg, its clock at now) whose fast
// path reads columns in line, fills it with n random profiles (ids of
// format idFmt) written chunk at a time, and returns it with the
// generator, the random query maker and the ids.
func seededFastStore(t *testing.T, cfg profiles.BleveConfig, now time.Time, r *rand.Rand, n, chunk int, idFmt string) (*profiles.BleveStore, func(string) profiles.Profile, func() profiles.Query, []string) {
	t.Helper()
	cfg.Now = func() time.Time { return now }
	s, err := profiles.OpenBleve(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	profiles.SetBleveFastSyncLimit(s, 1<<30)
	gen, randomQuery := randomFastFixture(r, now)
	var known []string
	var batch []profiles.Profile
	for i := range n {
		id := fmt.Sprintf(idFmt, i)
		known = append(known, id)
		batch = append(batch, gen(id))
	}
	for c := range slices.Chunk(batch, chunk) {
		if err := s.Put(context.Background(), c...); err != nil {
			t.Fatal(err)
		}
	}
	return s, gen, randomQuery, known
}

func testInterleavedWrites(t *testing.T, cfg profiles.BleveConfig) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(17, 4))
	s, gen, randomQuery, known := seededFastStore(t, cfg, now, r, 1500, 300, "g-%05d")
	// A few queries searched again and again, as an officer refines
	// around the same text, beside random ones.
	var fixed []profiles.Query
	for len(fixed) < 4 {
		if q := randomQuery(); q.Text != "" {
			fixed = append(fixed, q)
		}
	}
	fixed = append(fixed, profiles.Query{Facets: true, Limit: 20}, profiles.Query{Facets: true, Sort: profiles.SortYear, Limit: 20},
		profiles.Query{Sort: profiles.SortAvailability, Limit: 30, Offset: 5}, profiles.Query{Sort: profiles.SortUpdated, Facets: true, Limit: 10})
	served := profiles.BleveFastServed(s)
	fastRuns, nonEmpty := 0, 0
	const rounds = 150
	for round := range rounds {
		var what string
		var err error
		switch k := r.IntN(10); {
		case k < 4: // one profile updated
			id := known[r.IntN(len(known))]
			what = "update " + id
			err = s.Put(ctx, gen(id))
		case k < 6: // a new profile, its id anywhere in id order
			id := fmt.Sprintf("g-%05d-%d", r.IntN(1500), round)
			known = append(known, id)
			what = "new " + id
			err = s.Put(ctx, gen(id))
		case k < 8: // one deleted (perhaps already)
			id := known[r.IntN(len(known))]
			what = "delete " + id
			err = s.Delete(ctx, id)
		default: // a few at once
			var ps []profiles.Profile
			for range 2 + r.IntN(20) {
				ps = append(ps, gen(known[r.IntN(len(known))]))
			}
			what = fmt.Sprintf("batch of %d", len(ps))
			err = s.Put(ctx, ps...)
		}
		if err != nil {
			t.Fatalf("round %d, %s: %v", round, what, err)
		}
		qs := []profiles.Query{fixed[r.IntN(len(fixed))], fixed[r.IntN(len(fixed))], randomQuery()}
		for i, q := range qs {
			profiles.SetBlevePlainSearch(s, true)
			want, err := s.Search(ctx, q)
			if err != nil {
				t.Fatalf("%+v: plain: %v", q, err)
			}
			profiles.SetBlevePlainSearch(s, false)
			for _, pass := range []string{"first", "again"} {
				got, err := s.Search(ctx, q)
				if err != nil {
					t.Fatalf("%+v: fast: %v", q, err)
				}
				fastRuns++
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round %d (after %s), query %d (%s) %+v:\nfast  %d %v %v\nplain %d %v %v", round, what, i, pass, q, got.Total, ids(got.Profiles), got.Facets, want.Total, ids(want.Profiles), want.Facets)
				}
				// Only once in a while: the background work of the first
				// search is otherwise often still running at the next write.
				if r.IntN(3) == 0 {
					profiles.WaitBleveFast(s)
				}
			}
			if len(want.Profiles) > 0 {
				nonEmpty++
			}
		}
	}
	profiles.WaitBleveFast(s)
	if n := profiles.BleveFastServed(s) - served; n != uint64(fastRuns) {
		t.Errorf("the fast path answered %d of %d searches", n, fastRuns)
	}
	if nonEmpty < rounds {
		t.Errorf("only %d of %d queries found profiles: the comparison proves little", nonEmpty, 3*rounds)
	}
}

// TestBleveTextScoresAreBleves: the scores the fast path computes from
// cached postings and the snapshot's counts are, for every document a
// text matches, the very float64 Bleve's searcher computes, and match the
// same documents, on random texts (one to four words, repeated words,
// stems, words no profile holds, punctuation) in an index of several
// segments, deletions and updates, checked again after writes (which
// change every idf) with the postings of untouched segments kept.
func TestBleveTextScoresAreBleves(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testTextScores(t, profiles.BleveConfig{}) })
	t.Run("disk", func(t *testing.T) { testTextScores(t, profiles.BleveConfig{Dir: t.TempDir()}) })
}

func testTextScores(t *testing.T, cfg profiles.BleveConfig) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(21, 8))
	s, gen, _, known := seededFastStore(t, cfg, now, r, 900, 200, "t-%04d")
	words := []string{"analyste", "analystes", "données", "data", "analyst", "ingénieur", "learning", "machine", "junior", "python", "statistiques", "diplômé", "sql", "inconnu", "l'analyste", "Développeurs", "PYTHON,"}
	compared := 0
	for round := range 40 {
		var text []string
		for range 1 + r.IntN(4) {
			text = append(text, words[r.IntN(len(words))])
		}
		q := strings.Join(text, " ")
		for pass := range 2 { // the postings read, then cached
			want, got, planned, err := profiles.BleveTextScores(s, q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if !planned {
				t.Fatalf("%q: the fast path's plan does not mirror the text query", q)
			}
			if len(got) != len(want) {
				t.Errorf("round %d %q (pass %d): %d matches, Bleve %d", round, q, pass, len(got), len(want))
			}
			for g, w := range want {
				if sc, ok := got[g]; !ok || sc != w {
					t.Errorf("round %d %q (pass %d): document %d scored %v (%v), Bleve %v", round, q, pass, g, sc, ok, w)
					break
				}
			}
			compared += len(want)
		}
		// A write between rounds: every idf changes, most segments not.
		id := known[r.IntN(len(known))]
		var err error
		if r.IntN(4) == 0 {
			err = s.Delete(ctx, id)
		} else {
			err = s.Put(ctx, gen(id))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if compared < 2000 {
		t.Errorf("only %d scores compared", compared)
	}
}
