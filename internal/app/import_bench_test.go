package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

// BenchmarkImportApp times issue 12's import through the product's own
// path, App.importProfiles (what POST /api/profiles/import runs): JSON
// lines read in batches of 500, merged into the profiles bucket on an
// embedded NATS server on disk, an Indexer following the bucket into the
// embedded Bleve index on disk. Per round, on a fresh server and index:
// the import of OfficerBenchSize new graduates
// (PASSERELLE_BENCH_PROFILES=100000 for the size), then the same
// file again (every row an update), and the process's CPU time per row
// (both imports, and the indexing). "import" stops when importProfiles
// returns (it waits at most 10 s for the index), "indexed" when the index
// has applied the bucket's last revision. Arms, in the same run:
//   - seq: the rows written one after the other, each reading first (the
//     loop before: one worker, no create-first);
//   - conc: 16 rows at a time, creating first when the last batch was
//     mostly new (the product);
//   - conc_readfirst: 16 at a time, always reading first;
//   - the same three with no index following the bucket (_noindex): the
//     bucket writes alone.
func BenchmarkImportApp(b *testing.B) {
	n := storetest.OfficerBenchSize()
	data, err := storetest.ImportBenchJSONL(n)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	type arm struct {
		name      string
		workers   int
		readFirst bool
		noIndex   bool
	}
	arms := []arm{{"seq", 1, true, false}, {"conc", importWorkers, false, false}, {"conc_readfirst", importWorkers, true, false},
		{"conc", importWorkers, false, false}, {"seq", 1, true, false},
		{"seq_noindex", 1, true, true}, {"conc_noindex", importWorkers, false, true}, {"conc_readfirst_noindex", importWorkers, true, true},
		{"conc_noindex", importWorkers, false, true}, {"seq_noindex", 1, true, true}}
	if only := os.Getenv("PASSERELLE_BENCH_ARMS"); only != "" {
		// e.g. PASSERELLE_BENCH_ARMS=seq,conc: those arms only, in that order.
		var picked []arm
		for _, name := range strings.Split(only, ",") {
			for _, a := range arms {
				if a.name == name {
					picked = append(picked, a)
					break
				}
			}
		}
		arms = picked
	}
	rates := map[string][]float64{}
	for b.Loop() {
		for _, a := range arms {
			cpu0 := cpuTime()
			imp, idx, re := importAppRound(b, ctx, data, n, a.workers, a.readFirst, a.noIndex)
			cpu := (cpuTime() - cpu0).Seconds() * 1e6 / float64(2*n)
			rates["cpu_us_"+a.name] = append(rates["cpu_us_"+a.name], cpu)
			rates["import_"+a.name] = append(rates["import_"+a.name], imp)
			rates["indexed_"+a.name] = append(rates["indexed_"+a.name], idx)
			rates["reimport_"+a.name] = append(rates["reimport_"+a.name], re)
			b.Logf("%s (%d workers, read first %v): import %.0f/s, indexed %.0f/s, re-import %.0f/s; process CPU %.0f µs a row", a.name, a.workers, a.readFirst, imp, idx, re, cpu)
		}
	}
	for k, xs := range rates {
		xs = slices.Clone(xs)
		slices.Sort(xs)
		unit := k + "_profiles/s"
		if strings.HasPrefix(k, "cpu_us_") {
			unit = k + "/row"
		}
		b.ReportMetric(xs[len(xs)/2], unit)
	}
}

// cpuTime is the CPU time this process (with its embedded NATS server and
// index) has used: on a loaded machine a steadier figure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// importAppRound imports data twice through a fresh App (bucket and
// index on disk) and returns profiles/s until importProfiles returned,
// until the index applied the first import, and for the re-import.
func importAppRound(b *testing.B, ctx context.Context, data []byte, n, workers int, readFirst, noIndex bool) (imp, indexed, reimp float64) {
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
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ix := profiles.NewIndexer(repo, s, nil)
	if err := ix.Start(rctx); err != nil {
		b.Fatal(err)
	}
	a := &App{cfg: Config{Components: []string{Serve}}, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		repo: repo, store: s, index: ix, importWorkers: workers, importReadFirst: readFirst}
	if noIndex {
		// The bucket writes alone: nothing follows the bucket.
		cancel()
		a.store, a.index = nil, nil
	}
	run := func(wantCreated int) (time.Duration, time.Duration) {
		start := time.Now()
		rep, err := a.ImportProfiles(ctx, bytes.NewReader(data))
		if err != nil || rep.Imported != n || rep.Created != wantCreated {
			b.Fatalf("imported %d of %d, created %d: %v", rep.Imported, n, rep.Created, err)
		}
		done := time.Since(start)
		if noIndex {
			return done, done
		}
		rev, err := repo.LastRevision(ctx)
		if err != nil {
			b.Fatal(err)
		}
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Minute)
		defer wcancel()
		if err := ix.WaitFor(wctx, rev); err != nil {
			b.Fatal(err)
		}
		return done, time.Since(start)
	}
	d, all := run(n)
	rd, _ := run(0)
	return float64(n) / d.Seconds(), float64(n) / all.Seconds(), float64(n) / rd.Seconds()
}
