package profiles_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

// BenchmarkImportIndexed times issue 12's import the way the running
// product does it: JSON lines read by profiles.ImportEachChecked in
// batches of 500, each profile merged into the KV bucket (Repo.Update with
// MergeImport, as internal/app's importProfiles does), and an Indexer
// following the bucket into the embedded Bleve index on disk; the import
// is done when the index has applied the bucket's last revision (the API
// waits for it before it answers). OfficerBenchSize profiles per round
// (PASSERELLE_BENCH_PROFILES=100000 for the size), each round on a
// fresh server and index, the fast path's warming on and off in turn, so
// that the two compare in the same run. It also times the index alone:
// the same profiles put into a fresh Bleve store 500 at a time.
func BenchmarkImportIndexed(b *testing.B) {
	n := storetest.OfficerBenchSize()
	data, err := storetest.ImportBenchJSONL(n)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	rates := map[string][]float64{}
	kvRates := map[string][]float64{}
	storeRates := map[string][]float64{}
	firstSearch := map[string][]float64{}
	round := 0
	for b.Loop() {
		for _, warm := range []bool{true, false, false, true} {
			arm := map[bool]string{true: "warm", false: "nowarm"}[warm]
			kv, all, first := importIndexedRound(b, ctx, data, n, warm)
			kvRates[arm] = append(kvRates[arm], float64(n)/kv.Seconds())
			rates[arm] = append(rates[arm], float64(n)/all.Seconds())
			firstSearch[arm] = append(firstSearch[arm], float64(first.Microseconds())/1000)
			storeRates[arm] = append(storeRates[arm], importStoreRound(b, ctx, n, warm))
			b.Logf("round %d %s: kv %.0f/s, indexed %.0f/s, first search %v, store alone %.0f/s", round, arm,
				kvRates[arm][len(kvRates[arm])-1], rates[arm][len(rates[arm])-1], first, storeRates[arm][len(storeRates[arm])-1])
			round++
		}
	}
	med := func(xs []float64) float64 {
		xs = slices.Clone(xs)
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	for _, arm := range []string{"warm", "nowarm"} {
		b.ReportMetric(med(rates[arm]), "indexed_"+arm+"_profiles/s")
		b.ReportMetric(med(kvRates[arm]), "kv_"+arm+"_profiles/s")
		b.ReportMetric(med(storeRates[arm]), "store_"+arm+"_profiles/s")
		b.ReportMetric(med(firstSearch[arm]), "first_search_"+arm+"_ms")
	}
	b.ReportMetric(med(rates["warm"])/med(rates["nowarm"]), "indexed_warm/nowarm")
	b.ReportMetric(med(storeRates["warm"])/med(storeRates["nowarm"]), "store_warm/nowarm")
}

// importIndexedRound imports data on a fresh embedded NATS server and
// Bleve index on disk and returns how long the bucket writes took, how
// long until the index applied them, and the officer query's first
// search right after.
func importIndexedRound(b *testing.B, ctx context.Context, data []byte, n int, warm bool) (kv, all, first time.Duration) {
	b.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	nc, err := bus.Connect("", ns, "import-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	if err := bus.Setup(ctx, js, 1, nil); err != nil {
		b.Fatal(err)
	}
	repo, err := profiles.OpenRepo(ctx, js, nil)
	if err != nil {
		b.Fatal(err)
	}
	s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	profiles.SetBleveFastWarm(s, warm)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ix := profiles.NewIndexer(repo, s, nil)
	if err := ix.Start(rctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	rep, err := profiles.ImportEachChecked(bytes.NewReader(data), 500, nil, func(ps []profiles.Profile) error {
		now := time.Now()
		for _, p := range ps {
			if _, err := repo.Update(ctx, p.ID, func(cur *profiles.Profile) (profiles.Profile, error) {
				return profiles.MergeImport(cur, p, now), nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || rep.Imported != n {
		b.Fatalf("imported %d of %d: %v", rep.Imported, n, err)
	}
	kv = time.Since(start)
	rev, err := repo.LastRevision(ctx)
	if err != nil {
		b.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Minute)
	defer wcancel()
	if err := ix.WaitFor(wctx, rev); err != nil {
		b.Fatal(err)
	}
	all = time.Since(start)
	t := time.Now()
	if _, err := s.Search(ctx, storetest.OfficerBenchQuery); err != nil {
		b.Fatal(err)
	}
	first = time.Since(t)
	profiles.WaitBleveFast(s)
	return kv, all, first
}

// importStoreRound puts n generated profiles into a fresh Bleve index on
// disk, 500 at a time as the indexer's first sync does, and returns
// profiles/s.
func importStoreRound(b *testing.B, ctx context.Context, n int, warm bool) float64 {
	b.Helper()
	s, err := profiles.OpenBleve(profiles.BleveConfig{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	profiles.SetBleveFastWarm(s, warm)
	ps := storetest.ImportBenchProfiles(n)
	start := time.Now()
	for i := 0; i < len(ps); i += 500 {
		if err := s.Put(ctx, ps[i:min(i+500, len(ps))]...); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}
