package matcher

import (
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/skills"
)

// BenchmarkExplain measures what the matcher service publishes: explained
// matches (Index.Match) for 100,000 synthetic profiles and 1,000 offers of
// each generator, beside the explained path as it was before the speed
// work (oldIndexMatch, oldexplain_test.go) in the same run, on the same
// index and offers. Rates are offers per CPU second of this process (GC
// included):
//
//   - offers/cpu-s: Index.Match alone, offers in a loop (the b.Loop).
//   - old-offers/cpu-s and side-offers/cpu-s: the old and the new path
//     on each of the 1,000 offers in turn, each call timed on its own,
//     and x-old their ratio: robust to the load of a shared machine
//     changing during the run.
//   - append-offers/cpu-s: Index.AppendMatches reusing one buffer, twice
//     over the offers (what a caller that publishes the matches of one
//     offer before matching the next can use).
//   - alloc-B/offer, old-alloc-B/offer, append-alloc-B/offer: bytes
//     allocated per offer.
//
// It first checks on a sample of offers that both give identical matches.
//
//	go test -run '^$' -bench BenchmarkExplain -cpu 1 -benchtime 2000x ./matcher/
func BenchmarkExplain(b *testing.B) {
	for _, gen := range generators {
		b.Run("gen="+gen, func(b *testing.B) { benchExplain(b, gen) })
	}
}

func benchExplain(b *testing.B, gen string) {
	const nProfiles, nOffers, nSame = 100_000, 1000, 20
	nOld := nOffers
	if raceEnabled {
		nOld = 20
	}
	ps, os := synthesize(b, gen, 42, nProfiles, nOffers)
	ix, _ := buildIndex(ps, synthOptions(os))
	ps = nil
	for _, o := range os[:nSame] {
		if got, want := ix.Match(o), oldIndexMatch(ix, o); !reflect.DeepEqual(got, want) {
			b.Fatalf("offer %s: new and old explained matches differ", o.ID)
		}
	}
	heapAfterGC()

	// The old path beside the new one, offer after offer, each timed on
	// its own (the machine is shared: load changes during a run would
	// favour whichever phase ran in a quiet moment). Collections are
	// shared between the two: each pays for some of the other's garbage.
	var oldCPU, newCPU time.Duration
	oldMatches := 0
	for _, o := range os[:nOld] {
		t0 := cpuTime()
		oldMatches += len(oldIndexMatch(ix, o))
		t1 := cpuTime()
		ix.Match(o)
		newCPU += cpuTime() - t1
		oldCPU += t1 - t0
	}
	oldRate := float64(nOld) / oldCPU.Seconds()
	sideRate := float64(nOld) / newCPU.Seconds()
	alloc0 := totalAlloc()
	for _, o := range os[:nSame] {
		oldIndexMatch(ix, o)
	}
	oldAlloc := float64(totalAlloc()-alloc0) / nSame
	heapAfterGC()

	matches, i := 0, 0
	alloc0 = totalAlloc()
	cpu0 := cpuTime()
	for b.Loop() {
		matches += len(ix.Match(os[i%len(os)]))
		i++
	}
	rate := float64(i) / (cpuTime() - cpu0).Seconds()
	allocPer := float64(totalAlloc()-alloc0) / float64(i)

	// Index.AppendMatches with one buffer for all offers.
	heapAfterGC()
	var buf []Match
	alloc0 = totalAlloc()
	cpu0 = cpuTime()
	for range 2 {
		for _, o := range os {
			buf = ix.AppendMatches(buf[:0], o)
		}
	}
	appendRate := float64(2*len(os)) / (cpuTime() - cpu0).Seconds()
	b.ReportMetric(appendRate, "append-offers/cpu-s")
	b.ReportMetric(float64(totalAlloc()-alloc0)/float64(2*len(os)), "append-alloc-B/offer")
	b.ReportMetric(allocPer, "alloc-B/offer")
	b.ReportMetric(oldAlloc, "old-alloc-B/offer")
	b.ReportMetric(rate, "offers/cpu-s")
	b.ReportMetric(oldRate, "old-offers/cpu-s")
	b.ReportMetric(sideRate, "side-offers/cpu-s")
	b.ReportMetric(sideRate/oldRate, "x-old")
	b.ReportMetric(float64(matches)/float64(i), "matches/offer")
	b.ReportMetric(float64(oldMatches)/float64(nOld), "old-matches/offer")
	runtime.KeepAlive(ix)
}

// totalAlloc is the number of bytes allocated so far.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// TestExplainSameAsOld compares Index.Match with the explained path as it
// was before the speed work (oldIndexMatch), field by field, on every
// generator (profiles in and out of id order) and a few option sets.
func TestExplainSameAsOld(t *testing.T) {
	nProfiles, nOffers := 5_000, 150
	if testing.Short() || raceEnabled {
		nProfiles, nOffers = 1_500, 40
	}
	for _, gen := range append(generators, "clustered"+shuffledIDs, "places"+shuffledIDs) {
		t.Run(gen, func(t *testing.T) {
			ps, os := synthesize(t, gen, 5, nProfiles, nOffers)
			// A few offers with more than 64 skills (matchGeneral).
			ids := skills.Default().IDs()
			for i := range 4 {
				o := &os[i]
				for _, id := range ids[:80] {
					if !slices.Contains(o.Skills, id) && !slices.Contains(o.OptionalSkills, id) {
						o.OptionalSkills = append(o.OptionalSkills, id)
					}
				}
			}
			for _, minScore := range []float64{0.05, 0} {
				opts := synthOptions(os)
				opts.MinScore = minScore
				ix := NewIndex(opts)
				for _, p := range ps {
					ix.Upsert(p)
				}
				// Remove a few and re-add others so ordinals leave id order.
				for i := 0; i < len(ps); i += 97 {
					ix.Remove(ps[i].ID)
				}
				for i := 0; i < len(ps); i += 194 {
					ix.Upsert(ps[i])
				}
				total, wide := 0, 0
				for i, o := range os {
					got, want := ix.Match(o), oldIndexMatch(ix, o)
					sameExplained(t, o, got, want)
					total += len(want)
					if i < 4 {
						wide += len(want)
					}
				}
				t.Logf("min score %v: %d matches compared over %d offers (%d of offers with more than 64 skills)", minScore, total, len(os), wide)
				if total == 0 {
					t.Fatal("no matches: the comparison proves nothing")
				}
			}
		})
	}
}

// sameExplained fails unless got and want are equal in every field.
func sameExplained(t *testing.T, o jobs.Offer, got, want []Match) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("offer %s: %d matches, old path %d", o.ID, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("offer %s rank %d differs:\nnew %+v\nold %+v", o.ID, i, got[i], want[i])
		}
	}
}

// TestKeyTable checks keyTable against a map.
func TestKeyTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var kt keyTable
	want := map[uint64]int32{}
	for i := range 5000 {
		k := r.Uint64() >> (r.IntN(64)) // small keys too, 0 included
		if _, ok := want[k]; ok {
			continue
		}
		if _, ok := kt.get(k); ok {
			t.Fatalf("key %d found before it was put", k)
		}
		kt.put(k, int32(i))
		want[k] = int32(i)
	}
	for k, v := range want {
		if got, ok := kt.get(k); !ok || got != v {
			t.Fatalf("key %d: got %d %v, want %d", k, got, ok, v)
		}
	}
	if kt.n != len(want) {
		t.Fatalf("%d keys, want %d", kt.n, len(want))
	}
}

// TestExplainFastSameAsGeneral compares, hit by hit, the explanation of
// plan.match (keys and shared lists) with matchGeneral, the code for
// offers with more than 64 skills, which builds each match on its own:
// if one changes what a reason says, the other must follow.
func TestExplainFastSameAsGeneral(t *testing.T) {
	for _, gen := range generators {
		ps, os := synthesize(t, gen, 8, 2000, 60)
		ix := NewIndex(synthOptions(os))
		for _, p := range ps {
			ix.Upsert(p)
		}
		n := 0
		for _, o := range os {
			ix.mu.RLock()
			sc := ix.getScratch()
			pl, hits := ix.rank(&o, sc)
			for _, h := range hits {
				r := ix.explain(pl, sc, h)
				fast := pl.match(ix.ids[h.o], &ix.entries[h.o], r)
				general := pl.matchGeneral(ix.ids[h.o], &ix.entries[h.o], r)
				if !reflect.DeepEqual(fast, general) {
					t.Fatalf("%s offer %s profile %s:\nfast    %+v\ngeneral %+v", gen, o.ID, ix.ids[h.o], fast, general)
				}
				n++
			}
			ix.scratch.Put(sc)
			ix.mu.RUnlock()
		}
		if n == 0 {
			t.Fatalf("%s: no hits", gen)
		}
	}
}
