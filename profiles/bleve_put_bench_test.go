package profiles_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// waitQuiet waits until scorch has persisted and merged its latest
// snapshot and the fast path's background work has ended.
func waitQuiet(tb testing.TB, s *profiles.BleveStore) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for !profiles.BleveQuiet(s) {
		if time.Now().After(deadline) {
			tb.Fatal("the index never settled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	profiles.WaitBleveFast(s)
}

// BenchmarkBlevePut times the embedded index alone, the way the indexer
// writes it: OfficerBenchSize generated profiles (ImportBenchProfiles;
// PASSERELLE_BENCH_PROFILES=100000 for issue 12's size) put 500 at a time
// into a fresh index on disk, the fast path warming after each write,
// until scorch has persisted and merged everything. It reports the
// process's CPU per profile (analysis, segments, merges, persistence,
// warming, GC) and profiles/s, for two arms in the same run, in turn:
//   - v5: the documents of mapping 5 through Bleve's mapping (before);
//   - v6: the current documents (bleve_doc.go) and settings;
//   - v6_nopause (only when asked): v6, warming again at once after each
//     write, as before (warmPause).
//
// PASSERELLE_BENCH_ARMS=v6 (or v5,v6,...) runs those arms in that order.
func BenchmarkBlevePut(b *testing.B) {
	n := storetest.OfficerBenchSize()
	ps := storetest.ImportBenchProfiles(n)
	putBatch := 500
	if v, err := strconv.Atoi(os.Getenv("PASSERELLE_BENCH_BATCH")); err == nil && v > 0 {
		putBatch = v // profiles a Put
	}
	ctx := context.Background()
	arms := []string{"v5", "v6", "v6", "v5"}
	if only := os.Getenv("PASSERELLE_BENCH_ARMS"); only != "" {
		arms = strings.Split(only, ",") // e.g. v6: that arm alone
	}
	cpu := map[string][]float64{}
	rate := map[string][]float64{}
	for b.Loop() {
		for _, arm := range arms {
			var s *profiles.BleveStore
			var err error
			if arm == "v5" {
				s, err = profiles.OpenBleveV5(b.TempDir())
			} else {
				s, err = profiles.OpenBleve(profiles.BleveConfig{Dir: b.TempDir()})
			}
			if err != nil {
				b.Fatal(err)
			}
			if arm == "v6_nopause" {
				profiles.SetBleveWarmPause(s, -1)
			}
			c0, t0 := processCPU(), time.Now()
			for i := 0; i < len(ps); i += putBatch {
				if err := s.Put(ctx, ps[i:min(i+putBatch, len(ps))]...); err != nil {
					b.Fatal(err)
				}
			}
			waitQuiet(b, s)
			c, wall := processCPU()-c0, time.Since(t0)
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			us := float64(c.Microseconds()) / float64(n)
			cpu[arm] = append(cpu[arm], us)
			rate[arm] = append(rate[arm], float64(n)/wall.Seconds())
			b.Logf("%s: %d profiles, %.0f µs CPU a profile, %.0f profiles/s", arm, n, us, float64(n)/wall.Seconds())
		}
	}
	med := func(xs []float64) float64 {
		xs = slices.Clone(xs)
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	for _, arm := range []string{"v5", "v6", "v6_nopause"} {
		if len(cpu[arm]) == 0 {
			continue
		}
		b.ReportMetric(med(cpu[arm]), "cpu_us_"+arm+"/profile")
		b.ReportMetric(med(rate[arm]), arm+"_profiles/s")
	}
	if len(cpu["v5"]) > 0 && len(cpu["v6"]) > 0 {
		b.ReportMetric(med(cpu["v6"])/med(cpu["v5"]), "cpu_v6/v5")
	}
}
