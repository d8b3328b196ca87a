package matcher

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

func TestIndexUpsertRemoveProfile(t *testing.T) {
	ix := NewIndex(testOptions(t))
	p := graduate()
	ix.Upsert(p)
	ix.Upsert(p) // same id: replaced, not added
	if ix.Len() != 1 {
		t.Fatalf("Len = %d, want 1", ix.Len())
	}
	got, ok := ix.Profile("g-1")
	p.Locale = "fr" // filled by Normalize
	if !ok || !reflect.DeepEqual(got, p) {
		t.Fatalf("Profile round trip:\n got %+v\nwant %+v", got, p)
	}
	if u := ix.Unknown("g-1"); !slices.Equal(u, []string{"Tableau-like thing"}) {
		t.Errorf("Unknown = %q", u)
	}
	if n := len(ix.Match(remoteOffer())); n != 1 {
		t.Fatalf("Match returned %d, want 1", n)
	}
	// Replacing the profile with one lacking the skills removes it from the
	// postings.
	q := p
	q.Skills = []string{"Java"}
	ix.Upsert(q)
	if n := len(ix.Match(remoteOffer())); n != 0 {
		t.Fatalf("stale postings: %d matches after the skills changed", n)
	}
	ix.Upsert(p)
	ix.Remove("g-1")
	ix.Remove("nobody")
	if ix.Len() != 0 || len(ix.Match(remoteOffer())) != 0 {
		t.Fatalf("after Remove: Len=%d", ix.Len())
	}
	if _, ok := ix.Profile("g-1"); ok {
		t.Error("removed profile still returned")
	}
	// The freed slot is reused.
	p.ID = "g-2"
	ix.Upsert(p)
	if ix.Len() != 1 || len(ix.entries) != 1 {
		t.Errorf("slot not reused: Len=%d entries=%d", ix.Len(), len(ix.entries))
	}
	ix.Upsert(profiles.Profile{}) // no id: ignored
	if ix.Len() != 1 {
		t.Errorf("profile without id indexed")
	}
}

func TestIndexProfileCodec(t *testing.T) {
	// Fill every field by reflection so a field added to Profile and not
	// to the codec fails here.
	var p profiles.Profile
	fill(reflect.ValueOf(&p).Elem(), 0)
	setAt := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	p.Consent.SetAt = &setAt // fill leaves pointers nil
	b := encodeProfile(&p)
	got, err := decodeProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
	}
	// Truncated records are errors, never panics.
	for i := range b {
		if _, err := decodeProfile(b[:i]); err == nil {
			t.Errorf("truncated at %d: no error", i)
		}
	}
}

func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d-é", depth))
	case reflect.Int:
		v.SetInt(2025)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf([]string{"a", "b", fmt.Sprint(depth)}))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), depth*10+i)
		}
	}
}

// randomData builds profiles and offers over the test taxonomy with every
// gate dimension varied.
func randomData(r *rand.Rand, nProfiles, nOffers int, skillIDs []string) ([]profiles.Profile, []jobs.Offer) {
	pick := func(from []string, n int) []string {
		var out []string
		for len(out) < n {
			s := from[r.IntN(len(from))]
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	countries := []string{"MA", "MA", "MA", "FR", "US", "DZ", "TN", ""}
	places := []string{"Oujda", "Casablanca", "Rabat", "MA", "FR", "Paris", "Tanger"}
	levels := []string{"internship", "junior", "mid", "senior"}
	emps := []string{"full_time", "internship", "contract", "apprenticeship", "part_time"}
	wps := []string{"remote", "hybrid", "onsite"}
	langs := []string{"fr", "ar", "en", "es", "de"}
	heads := []string{"Data analyst", "Machine learning engineer", "Ingénieur données", "NLP engineer", "Développeur full stack"}
	ps := make([]profiles.Profile, nProfiles)
	for i := range ps {
		labels := pick(skillIDs, 1+r.IntN(6))
		ps[i] = profiles.Profile{
			ID: fmt.Sprintf("p%05d", i), Country: countries[r.IntN(len(countries))],
			Headline: heads[r.IntN(len(heads))], Skills: labels,
			Languages: pick(langs, 1+r.IntN(3)),
			Seeking: profiles.Seeking{
				Seniority:  pick(levels, r.IntN(3)),
				Employment: pick(emps, r.IntN(3)),
				Workplace:  pick(wps, r.IntN(3)),
				Locations:  pick(places, r.IntN(3)),
			},
		}
	}
	os := make([]jobs.Offer, nOffers)
	for i := range os {
		o := jobs.Offer{
			ID: fmt.Sprintf("o%04d", i), Title: heads[r.IntN(len(heads))],
			Workplace:      jobs.Workplace([]string{"remote", "hybrid", "onsite", "unknown"}[r.IntN(4)]),
			Employment:     pick(emps, r.IntN(2)),
			Seniority:      []string{"internship", "junior", "mid", "senior", "unknown"}[r.IntN(5)],
			Languages:      pick(langs[:3], r.IntN(2)),
			Skills:         pick(skillIDs, 1+r.IntN(5)),
			OptionalSkills: pick(skillIDs, r.IntN(3)),
			PostedAt:       ptrTime(testNow.Add(-time.Duration(r.IntN(40*24)) * time.Hour)),
		}
		switch r.IntN(4) {
		case 0:
			o.Eligibility = jobs.Eligibility{Worldwide: true, Known: true}
		case 1:
			o.Eligibility = jobs.Eligibility{Countries: pick(countries[:7], 1+r.IntN(2)), Known: true}
		case 2:
			o.Eligibility = jobs.Eligibility{Regions: []string{"EMEA"}, Known: true}
		}
		for range r.IntN(3) {
			pl := places[r.IntN(len(places))]
			if len(pl) == 2 {
				o.Locations = append(o.Locations, jobs.Location{Country: pl})
			} else {
				o.Locations = append(o.Locations, jobs.Location{City: pl, Country: "MA"})
			}
		}
		if r.IntN(10) == 0 {
			o.ValidThrough = ptrTime(testNow.Add(-time.Hour))
		}
		os[i] = o
	}
	return ps, os
}

// bruteForce is the reference: Score over every profile, sorted like Match.
func bruteForce(ps []profiles.Profile, o jobs.Offer, opts Options) []Match {
	var out []Match
	for _, p := range ps {
		if m, ok := Score(p, o, opts); ok {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		if a.ProfileID < b.ProfileID {
			return -1
		}
		if a.ProfileID > b.ProfileID {
			return 1
		}
		return 0
	})
	return out
}

func sameMatches(t *testing.T, label string, got, want []Match) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: index returned %d matches, brute force %d", label, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ProfileID != w.ProfileID || g.Score != w.Score || !slices.Equal(g.Reasons, w.Reasons) ||
			!slices.Equal(g.MatchedSkills, w.MatchedSkills) || !slices.Equal(g.MissingSkills, w.MissingSkills) ||
			g.EligibilityUnknown != w.EligibilityUnknown {
			t.Fatalf("%s: rank %d differs:\nindex %+v\nbrute %+v", label, i, g, w)
		}
	}
}

func TestIndexMatchesBruteForce(t *testing.T) {
	tax := taxonomy(t)
	r := rand.New(rand.NewPCG(1, 2))
	ps, os := randomData(r, 600, 150, tax.IDs())
	for _, minScore := range []float64{0.01, 0.3, 0.5} {
		opts := testOptions(t)
		opts.MinScore = minScore
		ix := indexOf(ps, os, opts)
		total := 0
		for _, o := range os {
			got := ix.Match(o)
			sameMatches(t, fmt.Sprintf("min %.2f offer %s", minScore, o.ID), got, bruteForce(ps, o, ix.Options()))
			for _, m := range got {
				if m.Offer == nil || m.Offer.ID != o.ID {
					t.Fatalf("Match.Offer not set")
				}
			}
			total += len(got)
		}
		if total == 0 {
			t.Fatalf("min %.2f: no match at all: the comparison proves nothing", minScore)
		}
		t.Logf("min score %.2f: %d matches over %d offers", minScore, total, len(os))
	}
}

func TestIndexOffline(t *testing.T) {
	tax := taxonomy(t)
	r := rand.New(rand.NewPCG(3, 4))
	ps, os := randomData(r, 80, 60, tax.IDs())
	opts := testOptions(t)
	res := Offline(ps, os, 3, opts)
	if len(res) != len(ps) {
		t.Fatalf("%d result lists for %d profiles", len(res), len(ps))
	}
	spec := NewSpecificity(0)
	for _, o := range os {
		spec.Observe(o)
	}
	opts.Specificity = spec
	some := false
	for i, p := range ps {
		var want []Match
		for _, o := range os {
			if m, ok := Score(p, o, opts); ok {
				want = append(want, m)
			}
		}
		slices.SortStableFunc(want, func(a, b Match) int {
			if a.Score != b.Score {
				if a.Score > b.Score {
					return -1
				}
				return 1
			}
			if a.OfferID < b.OfferID {
				return -1
			}
			return 1
		})
		if len(want) > 3 {
			want = want[:3]
		}
		if len(res[i]) != len(want) {
			t.Fatalf("profile %s: %d matches, want %d", p.ID, len(res[i]), len(want))
		}
		for k := range want {
			if res[i][k].OfferID != want[k].OfferID || res[i][k].Score != want[k].Score {
				t.Fatalf("profile %s rank %d: %s %.4f, want %s %.4f", p.ID, k, res[i][k].OfferID, res[i][k].Score, want[k].OfferID, want[k].Score)
			}
			some = true
		}
	}
	if !some {
		t.Fatal("no matches at all")
	}
}

func TestIndexConcurrent(t *testing.T) {
	tax := taxonomy(t)
	r := rand.New(rand.NewPCG(5, 6))
	ps, os := randomData(r, 300, 40, tax.IDs())
	ix := NewIndex(testOptions(t))
	for _, p := range ps[:150] {
		ix.Upsert(p)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i, o := range os {
				ix.Observe(o)
				ix.Match(o)
				if w == 0 {
					ix.Upsert(ps[150+i])
					ix.Remove(ps[i].ID)
				}
			}
		})
	}
	wg.Wait()
	if ix.Len() != 150 {
		t.Errorf("Len = %d, want 150", ix.Len())
	}
}

// FuzzProfileCodec: decoding any bytes never panics, and what decodes
// re-encodes to the same record.
func FuzzProfileCodec(f *testing.F) {
	p := graduate()
	f.Add(encodeProfile(&p))
	var full profiles.Profile
	fill(reflect.ValueOf(&full).Elem(), 0)
	f.Add(encodeProfile(&full))
	f.Add([]byte{codecVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := decodeProfile(b)
		if err != nil {
			return
		}
		r, err := decodeProfile(encodeProfile(&q))
		if err != nil || !reflect.DeepEqual(q, r) {
			t.Fatalf("re-encoding changed the profile: %v", err)
		}
	})
}

// TestIndexChurnMatchesBruteForce removes, re-adds and edits profiles so
// freed ordinals, posting lists and interned place and headline sets are
// reused, then compares the index with the brute force and with its own
// linear scan.
func TestIndexChurnMatchesBruteForce(t *testing.T) {
	tax := taxonomy(t)
	r := rand.New(rand.NewPCG(7, 8))
	ps, os := randomData(r, 400, 60, tax.IDs())
	opts := testOptions(t)
	opts.MinScore = 0.05
	ix := indexOf(ps, os, opts)
	live := map[string]profiles.Profile{}
	for _, p := range ps {
		live[p.ID] = p
	}
	others, _ := randomData(rand.New(rand.NewPCG(9, 10)), 400, 0, tax.IDs())
	churn := func() {
		for i := range 600 {
			p := ps[r.IntN(len(ps))]
			switch i % 3 {
			case 0:
				ix.Remove(p.ID)
				delete(live, p.ID)
			case 1:
				q := others[r.IntN(len(others))]
				q.ID = p.ID // same id, other skills, places and wishes
				ix.Upsert(q)
				live[q.ID] = q
			default:
				ix.Upsert(p)
				live[p.ID] = p
			}
		}
	}
	check := func(phase string) {
		if ix.Len() != len(live) {
			t.Fatalf("%s: Len = %d, want %d", phase, ix.Len(), len(live))
		}
		cur := make([]profiles.Profile, 0, len(live))
		for _, p := range live {
			cur = append(cur, p)
			if got, ok := ix.Profile(p.ID); !ok || got.ID != p.ID {
				t.Fatalf("%s: Profile(%s) = %v, %v", phase, p.ID, got.ID, ok)
			}
		}
		total := 0
		for _, o := range os {
			got := ix.Match(o)
			sameMatches(t, phase+" offer "+o.ID, got, bruteForce(cur, o, ix.Options()))
			total += len(got)

			ix.mu.RLock()
			sc := ix.getScratch()
			_, ranked := ix.rank(&o, sc)
			ranked = slices.Clone(ranked)
			ix.scratch.Put(sc)
			sc = ix.getScratch()
			pl := newPlan(&o, ix.t, ix.opts)
			pl.locCache = sc.loc
			var scanned []hit
			if !pl.dismissed() {
				scanned = slices.Clone(ix.scan(pl, sc))
			}
			ix.scratch.Put(sc)
			ix.mu.RUnlock()
			if len(ranked) != len(scanned) {
				t.Fatalf("%s offer %s: rank found %d, scan %d", phase, o.ID, len(ranked), len(scanned))
			}
			for k := range ranked {
				if ranked[k].o != scanned[k].o || ranked[k].score != scanned[k].score {
					t.Fatalf("%s offer %s rank %d: rank %+v, scan %+v", phase, o.ID, k, ranked[k], scanned[k])
				}
			}
		}
		if total == 0 {
			t.Fatalf("%s: no match at all: the comparison proves nothing", phase)
		}
		t.Logf("%s: %d matches over %d offers", phase, total, len(os))
	}
	churn()
	check("after churn")
	if !ix.Disordered() {
		t.Fatal("removals and updates left no free slot")
	}
	if !ix.Compact() {
		t.Fatal("Compact did nothing")
	}
	if ix.Disordered() || len(ix.entries) != len(live) {
		t.Fatalf("after Compact: disordered %v, %d ordinals for %d profiles", ix.Disordered(), len(ix.entries), len(live))
	}
	check("compacted")
	churn()
	check("churn after compacting")
}

// TestSortHits checks both paths of sortHits (comparison sort for few
// hits, radix sort then ties by id for many) against a plain sort, with
// many equal scores and ids sharing their first 8 bytes.
func TestSortHits(t *testing.T) {
	for _, inOrder := range []bool{false, true} {
		t.Run(fmt.Sprintf("ids-in-order=%v", inOrder), func(t *testing.T) { testSortHits(t, inOrder) })
	}
}

func testSortHits(t *testing.T, inOrder bool) {
	ix := NewIndex(testOptions(t))
	r := rand.New(rand.NewPCG(5, 6))
	ids := make([]string, 600)
	for i := range ids {
		ids[i] = fmt.Sprintf("graduate-%04d", r.IntN(100000))
	}
	if inOrder {
		slices.Sort(ids)
	}
	for _, id := range ids {
		ix.Upsert(profiles.Profile{ID: id, Skills: []string{"python"}, Country: "MA"})
	}
	if ix.disorder == inOrder {
		t.Fatalf("ids in order: %v, but the index's disorder flag is %v", inOrder, ix.disorder)
	}
	scores := []float64{0.3, 0.31, 0.5, 0.5000000000000001, 0.75, 1}
	for _, n := range []int{2, 50, radixMin - 1, radixMin, 500} {
		var hits []hit
		for o := range ix.entries {
			if len(hits) == n {
				break
			}
			if ix.entries[o].live {
				hits = append(hits, hit{o: uint32(o), score: scores[r.IntN(len(scores))]})
			}
		}
		want := slices.Clone(hits)
		slices.SortFunc(want, func(a, b hit) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return strings.Compare(ix.ids[a.o], ix.ids[b.o])
		})
		sc := ix.getScratch()
		got := ix.sortHits(sc, slices.Clone(hits))
		if len(got) != len(want) {
			t.Fatalf("n=%d: %d hits sorted, want %d", n, len(got), len(want))
		}
		for i := range want {
			if got[i].o != want[i].o {
				t.Fatalf("n=%d rank %d: %s %v, want %s %v", n, i, ix.ids[got[i].o], got[i].score, ix.ids[want[i].o], want[i].score)
			}
		}
		ix.scratch.Put(sc)
	}
}

// TestIndexEdgeShapesMatchBruteForce covers the paths the usual data does
// not take: profiles with many skills (25 or more), offers with
// more than 64 skills (scored without bitmasks), and many distinct wished
// places.
func TestIndexEdgeShapesMatchBruteForce(t *testing.T) {
	tax := skills.Default() // the test taxonomy is too small for 70 skills
	ids := tax.IDs()
	r := rand.New(rand.NewPCG(31, 32))
	ps, os := randomData(r, 400, 60, ids)
	for i := range ps {
		switch i % 4 {
		case 0: // many skills
			for len(ps[i].Skills) < 25+r.IntN(10) {
				if id := ids[r.IntN(len(ids))]; !slices.Contains(ps[i].Skills, id) {
					ps[i].Skills = append(ps[i].Skills, id)
				}
			}
		case 1: // a place nobody else wishes
			ps[i].Seeking.Locations = append(ps[i].Seeking.Locations, fmt.Sprintf("Village %d", i))
		}
	}
	long, wide := 0, 0
	for i := range os {
		if i%3 == 0 { // more skills than the bitmask path takes
			for len(os[i].Skills)+len(os[i].OptionalSkills) < 70 {
				if id := ids[r.IntN(len(ids))]; !slices.Contains(os[i].Skills, id) && !slices.Contains(os[i].OptionalSkills, id) {
					os[i].Skills = append(os[i].Skills, id)
				}
			}
			long++
		}
	}
	opts := testOptions(t)
	opts.Taxonomy = tax
	opts.MinScore = 0.05
	ix := indexOf(ps, os, opts)
	total := 0
	for _, o := range os {
		got := ix.Match(o)
		sameMatches(t, "offer "+o.ID, got, bruteForce(ps, o, ix.Options()))
		total += len(got)
		if len(o.Skills)+len(o.OptionalSkills) > 64 && len(got) > 0 {
			wide++
		}
	}
	if total == 0 || wide == 0 {
		t.Fatalf("%d matches, %d long offers with matches (of %d): the comparison proves little", total, wide, long)
	}
	t.Logf("%d matches; %d of %d long offers matched", total, wide, long)
}

// indexOf indexes ps with opts, skill weights observed from os.
func indexOf(ps []profiles.Profile, os []jobs.Offer, opts Options) *Index {
	opts.Specificity = NewSpecificity(0)
	for _, o := range os {
		opts.Specificity.Observe(o)
	}
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	return ix
}

// TestDisorderFlag: the index knows when ordinal order stops being id
// order, which sortHits relies on for ties.
func TestDisorderFlag(t *testing.T) {
	ix := NewIndex(testOptions(t))
	add := func(id string) { ix.Upsert(profiles.Profile{ID: id, Skills: []string{"python"}, Country: "MA"}) }
	for _, id := range []string{"a", "b", "c"} {
		add(id)
	}
	add("b") // an update keeps its ordinal
	if ix.disorder {
		t.Fatal("ids added in order, yet disorder is set")
	}
	ix.Remove("b")
	add("d") // takes b's free ordinal, between a and c
	if !ix.disorder {
		t.Fatal("a reused ordinal must set disorder")
	}
	ix2 := NewIndex(testOptions(t))
	for _, id := range []string{"b", "a"} {
		ix2.Upsert(profiles.Profile{ID: id, Skills: []string{"python"}, Country: "MA"})
	}
	if !ix2.disorder {
		t.Fatal("an id below the last one must set disorder")
	}
}

// TestCompactRenumbersClasses: Compact renumbers gate classes too, so a
// query's scratch cached before it must not be reused after it.
func TestCompactRenumbersClasses(t *testing.T) {
	ix := NewIndex(testOptions(t))
	senior := graduate()
	senior.ID, senior.Seeking.Seniority = "b", []string{"senior"}
	junior := graduate()
	junior.ID = "c"
	other := graduate()
	other.ID, other.Seeking.Seniority = "a", []string{"lead"}
	for _, p := range []profiles.Profile{senior, junior, other} { // classes in this order
		ix.Upsert(p)
	}
	o := remoteOffer() // junior
	ids := func() (out []string) {
		for _, m := range ix.Match(o) {
			out = append(out, m.ProfileID)
		}
		return out
	}
	before := ids()
	if !slices.Equal(before, []string{"c"}) {
		t.Fatalf("before Compact: %v, want [c]", before)
	}
	if !ix.Compact() {
		t.Fatal("ids out of order, yet Compact did nothing")
	}
	if after := ids(); !slices.Equal(after, before) {
		t.Fatalf("after Compact: %v, want %v", after, before)
	}
}

// MatchScores returns exactly the profiles and scores of Match, in order.
func TestMatchScoresIsMatchWithoutExplanations(t *testing.T) {
	ix := NewIndex(testOptions(t))
	for i, sk := range [][]string{{"Python", "SQL"}, {"Python"}, {"Java"}, {"pandas", "SQL", "Python"}} {
		p := graduate()
		p.ID = fmt.Sprintf("g-%d", i)
		p.Skills = sk
		ix.Upsert(p)
	}
	o := remoteOffer()
	want := ix.Match(o)
	if len(want) < 2 {
		t.Fatalf("only %d matches: the comparison proves little", len(want))
	}
	var got []Scored
	ix.MatchScores(o, func(s Scored) bool { got = append(got, s); return true })
	if len(got) != len(want) {
		t.Fatalf("%d scored, %d matched", len(got), len(want))
	}
	for i := range want {
		if got[i].ProfileID != want[i].ProfileID || got[i].Score != want[i].Score {
			t.Errorf("#%d: %+v, Match says %s %v", i, got[i], want[i].ProfileID, want[i].Score)
		}
	}
	n := 0
	ix.MatchScores(o, func(Scored) bool { n++; return false })
	if n != 1 {
		t.Errorf("fn returning false did not stop the walk (%d calls)", n)
	}
}
