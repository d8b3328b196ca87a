package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// The kill test: `passerelle run` is killed with SIGKILL at random moments
// while a recruiter posts offers, and restarted on the same data dir. At
// the end every alert the offers call for must have reached Mailpit
// exactly once. A repeat carrying the same Message-Id as the first copy
// (the one case the two-phase ledger allows: SMTP accepted the mail and
// the process died before recording it) is counted apart.
//
// PASSERELLE_KILL_TRIALS sets the number of kills (default 15, what CI
// runs); for example:
//
//	PASSERELLE_KILL_TRIALS=100 go test -run TestKill -v -timeout 60m ./cmd/passerelle/

const killRecruiterToken = "kill-test-recruiter-0123456789"

// killProfiles are graduates with instant alerts whom the test's offers fit.
func killProfiles() []profiles.Profile {
	var ps []profiles.Profile
	for i, name := range []string{"Salma", "Youssef", "Nora"} {
		ps = append(ps, profiles.Profile{
			ID: fmt.Sprintf("k-%d", i), Name: name + " Kill", Email: fmt.Sprintf("k%d@example.org", i), Locale: []string{"fr", "en", "ar", "fr"}[i],
			City: "Oujda", Country: "MA", Headline: "Data analyst",
			Skills:    []string{"SQL", "Python", "Power BI", "Excel", "pandas"}[:3+i%3],
			Languages: []string{"fr", "ar", "en"}, GraduationYear: 2025,
			Seeking: profiles.Seeking{Seniority: []string{"junior", "internship"}, Employment: []string{"full_time", "internship"},
				Workplace: []string{"onsite", "hybrid", "remote"}, Locations: []string{"Oujda", "MA"}},
			Alerts:  profiles.Alerts{Frequency: profiles.FrequencyInstant},
			Consent: profiles.Consent{Alerts: true, Searchable: true},
		})
	}
	return ps
}

// killOffer is the recruiter offer number i.
func killOffer(i int) map[string]any {
	return map[string]any{
		"id":          fmt.Sprintf("kill-%03d", i),
		"title":       fmt.Sprintf("Data Analyst junior K%03d", i),
		"description": "Analyse de données à Oujda : SQL, Python et Power BI. Poste junior, temps plein, sur site.",
		"locations":   []map[string]string{{"city": "Oujda", "country": "MA"}},
		"workplace":   "onsite", "employment": []string{"full_time"}, "seniority": "junior",
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func buildPasserelle(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "passerelle")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// killProc is one `passerelle run`.
type killProc struct {
	cmd  *exec.Cmd
	done chan struct{}
	logs *bytes.Buffer
}

func startRun(t *testing.T, bin, data, httpAddr, smtp, sources string) *killProc {
	t.Helper()
	cmd := exec.Command(bin, "run", "--data", data, "--http", httpAddr, "--smtp", smtp, "--sources", sources, "--no-crawl-on-start")
	cmd.Env = append(os.Environ(),
		"PASSERELLE_RECRUITER_TOKENS="+killRecruiterToken+"=Acme RH",
		"PASSERELLE_ACK_WAIT=2s",
		"PASSERELLE_INSTANT_WINDOW=0",
		"PASSERELLE_INSTANT_PER_DAY=-1", // every alert as an instant mail: the test counts them
		"PASSERELLE_LOG=info",
	)
	p := &killProc{cmd: cmd, done: make(chan struct{}), logs: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + httpAddr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("passerelle run exited at start:\n%s", p.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("passerelle run not ready after 30s:\n%s", p.logs)
	return nil
}

func (p *killProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func (p *killProc) stop(t *testing.T) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill()
		t.Errorf("passerelle run did not stop on SIGTERM within 30s")
	}
}

// postOffer posts offer i; it reports whether the server accepted it.
func postKillOffer(httpAddr string, i int) bool {
	b, _ := json.Marshal(killOffer(i))
	req, _ := http.NewRequest(http.MethodPost, "http://"+httpAddr+"/api/offers", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+killRecruiterToken)
	req.Header.Set("Content-Type", "application/json")
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusAccepted
}

func TestKillNineLosesNoAlert(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test builds and runs passerelle")
	}
	trials := 15
	if v := os.Getenv("PASSERELLE_KILL_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PASSERELLE_KILL_TRIALS=%q: want a positive number", v)
		}
		trials = n
	}
	bin := buildPasserelle(t)
	mp := mailpit.Start(t)
	data := t.TempDir()
	sources := filepath.Join(t.TempDir(), "sources.json")
	if err := os.WriteFile(sources, []byte(`{"sources": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	pf := filepath.Join(t.TempDir(), "profiles.jsonl")
	var pb bytes.Buffer
	for _, p := range killProfiles() {
		_ = json.NewEncoder(&pb).Encode(p)
	}
	if err := os.WriteFile(pf, pb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "profiles", "import", "--data", data, "--http", "127.0.0.1:1", pf).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	httpAddr := freePort(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	t.Logf("kill test: %d trials", trials)

	next := 0 // next offer to post
	accepted := map[int]bool{}
	for trial := range trials {
		p := startRun(t, bin, data, httpAddr, mp.SMTPURL(), sources)
		// The recruiter posts an offer every 400 ms; offers the server did
		// not confirm are posted again (same id) after the restart, as a
		// recruiter would.
		stopPosting := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				for i := range next {
					if !accepted[i] && postKillOffer(httpAddr, i) {
						accepted[i] = true
					}
				}
				if postKillOffer(httpAddr, next) {
					accepted[next] = true
				}
				next++
				select {
				case <-stopPosting:
					return
				case <-time.After(400 * time.Millisecond):
				}
			}
		}()
		delay := time.Duration(100+rng.IntN(2400)) * time.Millisecond
		time.Sleep(delay)
		p.kill()
		close(stopPosting)
		wg.Wait()
		t.Logf("trial %d: killed after %s; %d offers posted so far", trial+1, delay, next)
	}
	// Last run: post what was never confirmed, then let it converge.
	p := startRun(t, bin, data, httpAddr, mp.SMTPURL(), sources)
	for i := range next {
		for !accepted[i] {
			accepted[i] = postKillOffer(httpAddr, i)
		}
	}
	got := waitMailsSettle(t, mp, 12*time.Second, 3*time.Minute)
	p.stop(t)
	offers := storedOffers(t, data)
	expected := expectedAlerts(offers)
	want := 0
	for _, ps := range expected {
		want += len(ps)
	}

	lost, dups, sameID := 0, 0, 0
	for offerTitle, ps := range expected {
		for _, addr := range ps {
			copies := got[addr+"|"+offerTitle]
			switch {
			case len(copies) == 0:
				lost++
				t.Errorf("lost: %q never reached %s", offerTitle, addr)
			case len(copies) > 1:
				ids := map[string]int{}
				for _, id := range copies {
					ids[id]++
				}
				for id, n := range ids {
					if n > 1 {
						sameID += n - 1
						t.Logf("repeat with the same Message-Id %s: %q to %s", id, offerTitle, addr)
					}
				}
				if len(ids) > 1 {
					dups += len(ids) - 1
					t.Errorf("duplicate: %q reached %s in %d mails with different Message-Ids", offerTitle, addr, len(ids))
				}
			}
		}
	}
	t.Logf("kill test: %d trials, %d offers, %d alerts expected, %d lost, %d duplicates, %d same-Message-Id repeats",
		trials, len(offers), want, lost, dups, sameID)
	if lost > 0 || dups > 0 {
		if dir := os.Getenv("PASSERELLE_ARTIFACTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, "kill-last-run.log"), p.logs.Bytes(), 0o644)
		}
		t.Logf("last run's log (%d bytes):\n%s", p.logs.Len(), tail(p.logs.Bytes(), 20000))
	}
	if want == 0 || len(offers) != next {
		t.Errorf("%d offers published, %d posted, %d alerts expected: the scenario did not exercise the notifier", len(offers), next, want)
	}
}

// storedOffers reads the offers of the OFFERS stream of a stopped
// instance's data dir, through an embedded NATS server on it.
func storedOffers(t *testing.T, data string) []jobs.Offer {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(data, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	nc, err := bus.Connect("", ns, "kill-test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := js.Stream(ctx, bus.StreamOffers)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []jobs.Offer
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		var o jobs.Offer
		if json.Unmarshal(m.Data, &o) == nil && m.Subject == bus.SubjectOfferNew && !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	return out
}

// expectedAlerts maps each offer title to the addresses it must reach,
// scored offline with the matcher's own code.
func expectedAlerts(offers []jobs.Offer) map[string][]string {
	byID := map[string]string{}
	for _, p := range killProfiles() {
		byID[p.ID] = p.Email
	}
	out := map[string][]string{}
	for _, ms := range matcher.Offline(killProfiles(), offers, 0, matcher.Options{Taxonomy: skills.Default()}) {
		for _, m := range ms {
			out[m.Title] = append(out[m.Title], byID[m.ProfileID])
		}
	}
	for _, as := range out {
		sort.Strings(as)
	}
	return out
}

var killTitleRe = regexp.MustCompile(`Data Analyst junior K\d{3}`)

// waitMailsSettle reads Mailpit until no new mail came for quiet (or
// timeout) and returns, for each "address|offer title", the Message-Ids of
// the mails carrying it.
func waitMailsSettle(t *testing.T, mp *mailpit.Server, quiet, timeout time.Duration) map[string][]string {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	read := map[string]bool{}
	got := map[string][]string{}
	last := time.Now()
	for time.Now().Before(deadline) && time.Since(last) < quiet {
		sums, err := mp.Messages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sums {
			if read[s.ID] {
				continue
			}
			read[s.ID] = true
			last = time.Now()
			full, err := mp.Message(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, title := range uniq(killTitleRe.FindAllString(full.Text, -1)) {
				for _, to := range s.To {
					got[to.Address+"|"+title] = append(got[to.Address+"|"+title], s.MessageID)
				}
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	return got
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// tail returns at most the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
