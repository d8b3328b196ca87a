package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/demo"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/profiles"
)

// TestClusterSplitExactlyOnce runs production's shape on a three-node NATS
// cluster (streams and buckets at R3): one serve, matchers and notifiers
// as separate processes with no disk of their own, Mailpit as the SMTP
// server. Every alert reaches its graduate exactly once while the node
// leading the OFFERS stream is lost mid-stream; a matcher started late
// builds its profiles from the bucket before it takes offers; an erased
// graduate gets nothing more.
func TestClusterSplitExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node NATS cluster, Mailpit and five processes")
	}
	cl := natstest.StartCluster(t, 3)
	mp := mailpit.Start(t)
	ctx := context.Background()
	var logMu sync.Mutex
	var logs strings.Builder
	start := func(name string, comps []string) (*App, func(), error) {
		pctx, cancel := context.WithCancel(ctx)
		a, err := Start(pctx, Config{
			DataDir:         t.TempDir(),
			HTTPAddr:        "127.0.0.1:0",
			NATSURL:         cl.URLs(),
			NATSReplicas:    3,
			SMTPURL:         mp.SMTPURL(),
			SourcesFile:     writeEmptySources(t),
			RecruiterTokens: map[string]string{"rec-token-0123456789": "Acme RH"},
			Components:      comps,
			Instance:        name,
			NoCrawlOnStart:  true,
			AckWait:         4 * time.Second,
			InstantPerDay:   -1, // four offers each: the test counts instant mails
			Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelWarn})).
				With("process", name),
		})
		if err != nil {
			cancel()
			return nil, nil, fmt.Errorf("start %s: %w", name, err)
		}
		var once sync.Once
		stop := func() {
			once.Do(func() {
				cancel()
				if err := a.Wait(); err != nil {
					t.Errorf("%s stopped with: %v", name, err)
				}
			})
		}
		t.Cleanup(stop)
		return a, stop, nil
	}
	t.Cleanup(func() {
		if t.Failed() {
			logMu.Lock()
			t.Logf("process logs (warnings and errors):\n%s", logs.String())
			logMu.Unlock()
		}
	})

	// Every process starts at once on the fresh cluster: each creates the
	// streams and buckets at R3 while the cluster elects their leaders.
	names := []string{"serve", "m1", "n1", "n2"}
	comps := [][]string{{Serve}, {Match}, {Notify}, {Notify}}
	apps := make([]*App, len(names))
	stops := make([]func(), len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i := range names {
		wg.Go(func() { apps[i], stops[i], errs[i] = start(names[i], comps[i]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	serve, stopM1 := apps[0], stops[1]

	const graduates = 6
	var ps []profiles.Profile
	for i := range graduates {
		p := demo.Profiles()[1] // Youssef: machine learning, remote only
		p.ID = fmt.Sprintf("g-%d", i)
		p.Email = fmt.Sprintf("grad%d@example.org", i)
		p.Name = fmt.Sprintf("Graduate %d", i)
		p.Alerts.Frequency = profiles.FrequencyInstant
		ps = append(ps, p)
	}
	if rep, err := serve.ImportProfiles(ctx, profilesJSONL(t, ps)); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	post := func(i int) {
		t.Helper()
		resp, body := postOffer(t, serve, "rec-token-0123456789", map[string]any{
			"id": fmt.Sprintf("ml-%d", i), "title": fmt.Sprintf("Stagiaire Machine Learning n°%d", i), "company": "Acme RH",
			"description": "Stage en télétravail ouvert aux candidats basés en Afrique (Maroc inclus). Python, PyTorch, scikit-learn.",
			"workplace":   "remote", "employment": []string{"internship"}, "seniority": "internship",
			"eligibility": map[string]any{"regions": []string{"Africa"}, "known": true},
		})
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("POST offer %d: %d %s", i, resp.StatusCode, body)
		}
	}
	// pairs counts mails per graduate and offer.
	pairs := func() (map[string]int, int) {
		got := mailsByRecipient(t, mp)
		out := map[string]int{}
		total := 0
		for addr, ms := range got {
			for _, m := range ms {
				total++
				for i := range 100 {
					if strings.Contains(m.Subject+m.Text, fmt.Sprintf("n°%d ", i)) || strings.Contains(m.Subject+m.Text, fmt.Sprintf("n°%d\n", i)) {
						out[fmt.Sprintf("%s/%d", addr, i)]++
					}
				}
			}
		}
		return out, total
	}
	waitMails := func(want int) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			_, n := pairs()
			if n >= want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d mails after 90 s, want %d", n, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// Phase 1: four offers to six graduates.
	for i := range 4 {
		post(i)
	}
	waitMails(4 * graduates)

	// An erased graduate gets nothing more.
	if _, err := serve.EraseProfile(ctx, "g-5"); err != nil {
		t.Fatal(err)
	}
	// A matcher started late takes over from the first one: it must hold
	// every profile of the bucket before it takes an offer.
	m2, _, err := start("m2", []string{Match})
	if err != nil {
		t.Fatal(err)
	}
	stopM1()
	waitHealthy(t, m2)

	// Phase 2: four more offers; the node leading both OFFERS and MATCHES
	// is lost after the first one.
	// leaderOf waits for the stream to have a leader (it has none for a
	// moment while one is elected) and names it.
	leaderOf := func(stream string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			st, err := serve.js.Stream(ctx, stream)
			if err == nil {
				var info *jetstream.StreamInfo
				if info, err = st.Info(ctx); err == nil && info.Cluster != nil && info.Cluster.Leader != "" {
					return info.Cluster.Leader
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no leader after 20 s: %v", stream, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	leader := leaderOf(bus.StreamOffers)
	for i := 0; leaderOf(bus.StreamMatches) != leader; i++ {
		if i == 30 {
			t.Fatalf("MATCHES leader never moved to %s, the OFFERS leader", leader)
		}
		before := leaderOf(bus.StreamMatches)
		if _, err := serve.nc.Request("$JS.API.STREAM.LEADER.STEPDOWN."+bus.StreamMatches, nil, 5*time.Second); err != nil {
			t.Logf("step down: %v", err)
		}
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if l := leaderOf(bus.StreamMatches); l != "" && l != before {
				break
			}
		}
	}
	post(4)
	if !cl.Kill(leader) {
		t.Fatalf("no node %q to kill", leader)
	}
	killed := time.Now()
	t.Logf("killed %s, leader of OFFERS and MATCHES", leader)
	for i := 5; i < 8; i++ {
		post(i)
	}
	want := 4*graduates + 4*(graduates-1)
	waitMails(want)
	t.Logf("figures: %d alerts expected; all delivered %.1f s after the node was lost", want, time.Since(killed).Seconds())
	time.Sleep(3 * time.Second) // redeliveries, if any, have time to show
	got, total := pairs()
	if total != want {
		t.Errorf("%d mails, want %d (each graduate once per offer)", total, want)
	}
	dups := 0
	for _, n := range got {
		if n > 1 {
			dups += n - 1
		}
	}
	t.Logf("figures: %d alerts delivered, %d duplicates", total, dups)
	for g := range graduates {
		for i := range 8 {
			k := fmt.Sprintf("grad%d@example.org/%d", g, i)
			w := 1
			if g == 5 && i >= 4 {
				w = 0 // erased before offer 4
			}
			if got[k] != w {
				t.Errorf("%s: %d mails, want %d", k, got[k], w)
			}
		}
	}
	// Every process answers /metrics; the counters reflect the mails sent
	// and offers matched (one registry per OS process: here the test's).
	resp, err := http.Get("http://" + m2.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{`passerelle_alerts_sent_total{kind="instant"}`, "passerelle_offers_matched_total", "passerelle_matches_published_total"} {
		if !strings.Contains(string(b), m) {
			t.Errorf("/metrics (%d, %d bytes) lacks %s; it begins:\n%.600s", resp.StatusCode, len(b), m, b)
		}
	}
}

// waitHealthy waits until the process's /healthz answers 200.
func waitHealthy(t *testing.T, a *App) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + a.HTTPAddr() + "/healthz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("/healthz still %d after 30 s: %s", resp.StatusCode, b)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("/healthz: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func writeEmptySources(t *testing.T) string {
	t.Helper()
	p := t.TempDir() + "/sources.json"
	if err := writeFile(p, "[]"); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o644) }
