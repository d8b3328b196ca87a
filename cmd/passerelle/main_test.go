package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/demo"
	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

func runCLI(t *testing.T, ctx context.Context, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func jsonLines[T any](t *testing.T, s string) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var v T
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("output line is not the documented JSON: %v\n%s", err, sc.Text())
		}
		out = append(out, v)
	}
	return out
}

func TestUsageAndUnknownCommand(t *testing.T) {
	if code, _, errs := runCLI(t, context.Background(), "", "frobnicate"); code != 2 || !strings.Contains(errs, "commande inconnue") {
		t.Errorf("unknown command: code %d, stderr %q", code, errs)
	}
	if code, _, errs := runCLI(t, context.Background(), ""); code != 2 || !strings.Contains(errs, "Usage") {
		t.Errorf("no command: code %d, stderr %q", code, errs)
	}
	if code, _, errs := runCLI(t, context.Background(), "", "extract", "--format", "nope", "x.html"); code != 2 || !strings.Contains(errs, "unknown --format") {
		t.Errorf("bad format: code %d, stderr %q", code, errs)
	}
}

// extract prints DESIGN.md offers as JSON lines; an unreadable input is
// reported while the others still come through.
func TestExtract(t *testing.T) {
	own := filepath.Join("..", "..", "crawler", "testdata", "api", "remotive.json")
	code, out, errs := runCLI(t, context.Background(), "", "extract", own, "does-not-exist.json")
	if code != 1 || !strings.Contains(errs, "does-not-exist.json") {
		t.Errorf("code %d, want 1 naming the missing file; stderr:\n%s", code, errs)
	}
	offers := jsonLines[jobs.Offer](t, out)
	if len(offers) == 0 {
		t.Fatalf("no offers from %s; stderr:\n%s", own, errs)
	}
	for _, o := range offers {
		if !strings.HasPrefix(o.ID, "remotive:") || o.Title == "" || o.Workplace != jobs.Remote {
			t.Errorf("offer %+v: want a remotive id, a title and workplace remote", o)
		}
		if err := o.Validate(); err != nil {
			t.Errorf("offer %s does not validate: %v", o.ID, err)
		}
	}
	// The same file through standard input, with the kind given.
	_, out2, _ := runCLI(t, context.Background(), mustRead(t, own), "extract", "--format", "remotive", "-")
	if n := len(jsonLines[jobs.Offer](t, out2)); n != len(offers) {
		t.Errorf("stdin gave %d offers, file gave %d", n, len(offers))
	}
}

// On a real Remote OK answer (shared fixture), --format auto finds the kind,
// skips the legal notice and keeps every job.
func TestExtractSharedFixtureAuto(t *testing.T) {
	p := fixtures.Path(t, "remoteok/brete-remoteok.json")
	code, out, errs := runCLI(t, context.Background(), "", "extract", p)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(mustRead(t, p)), &raw); err != nil {
		t.Fatal(err)
	}
	offers := jsonLines[jobs.Offer](t, out)
	if len(offers) != len(raw)-1 {
		t.Errorf("%d offers, want %d (all elements but the legal notice)", len(offers), len(raw)-1)
	}
}

// match scores offers against profiles offline, gates applied.
func TestMatchOffline(t *testing.T) {
	dir := t.TempDir()
	offers := []jobs.Offer{
		{ID: "t:remote-ma", Title: "Junior Data Analyst", Company: "A", Workplace: jobs.Remote, Seniority: "junior",
			Eligibility: jobs.Eligibility{Countries: []string{"MA"}, Known: true}, Skills: []string{"python", "sql", "pandas"}, Terms: jobs.Terms{EmailAllowed: true}},
		{ID: "t:remote-us", Title: "Junior Data Analyst", Company: "B", Workplace: jobs.Remote, Seniority: "junior",
			Eligibility: jobs.Eligibility{Countries: []string{"US"}, Known: true}, Skills: []string{"python", "sql", "pandas"}, Terms: jobs.Terms{EmailAllowed: true}},
		{ID: "t:onsite-paris", Title: "Data Analyst", Company: "C", Workplace: jobs.Onsite, Seniority: "junior",
			Locations: []jobs.Location{{City: "Paris", Country: "FR"}}, Skills: []string{"python", "sql"}, Terms: jobs.Terms{EmailAllowed: true}},
	}
	writeLines(t, filepath.Join(dir, "offers.jsonl"), offers)
	writeLines(t, filepath.Join(dir, "profiles.jsonl"), []profiles.Profile{demo.Profiles()[0]})
	code, out, errs := runCLI(t, context.Background(), "", "match", "--profiles", filepath.Join(dir, "profiles.jsonl"), "--offers", filepath.Join(dir, "offers.jsonl"), "--top", "5")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	ms := jsonLines[matcher.Match](t, out)
	if len(ms) != 1 || ms[0].OfferID != "t:remote-ma" || ms[0].ProfileID != "demo-salma" {
		t.Fatalf("matches = %+v, want only the remote offer open to Morocco", ms)
	}
	if ms[0].Score <= 0 || ms[0].Score > 1 || len(ms[0].MatchedSkills) == 0 || len(ms[0].Reasons) == 0 {
		t.Errorf("match lacks score, skills or reasons: %+v", ms[0])
	}
}

// profiles import then export round-trips through the embedded store when
// no instance is running; bad lines are reported, the rest imported, and
// the command exits 1 so a script notices.
func TestProfilesImportExport(t *testing.T) {
	data := t.TempDir()
	in := filepath.Join(t.TempDir(), "p.jsonl")
	var b bytes.Buffer
	for _, p := range demo.Profiles() {
		_ = json.NewEncoder(&b).Encode(p)
	}
	// One graduate did not consent to be found by officers: no path shows them.
	hidden := demo.Profiles()[0]
	hidden.ID, hidden.Email, hidden.Consent.Searchable = "hidden-one", "hidden@example.org", false
	_ = json.NewEncoder(&b).Encode(hidden)
	b.WriteString(`{"id":"bad one","email":"x"}` + "\n")
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--data", data, "--http", "127.0.0.1:1"}
	code, out, errs := runCLI(t, context.Background(), "", append([]string{"profiles", "import"}, append(args, in)...)...)
	if code != 1 || !strings.Contains(out, "5 profils importés (5 nouveaux, 0 mis à jour), 1 lignes rejetées") {
		t.Fatalf("import: code %d out %q err %s", code, out, errs)
	}
	if !strings.Contains(errs, "ligne 6, champ « id » : ") {
		t.Errorf("the rejected line is not named: %s", errs)
	}
	code, out, errs = runCLI(t, context.Background(), "", append([]string{"profiles", "export"}, args...)...)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	if got := jsonLines[profiles.Profile](t, out); len(got) != 4 || slices.ContainsFunc(got, func(p profiles.Profile) bool { return p.ID == "hidden-one" }) {
		t.Errorf("exported %d profiles, want the 4 who consented", len(got))
	}
	code, out, _ = runCLI(t, context.Background(), "", append([]string{"profiles", "search", "--limit", "2"}, args...)...)
	if got := jsonLines[profiles.Profile](t, out); code != 0 || len(got) != 2 {
		t.Errorf("search --limit 2 gave %d profiles (code %d)", len(got), code)
	}
	code, out, _ = runCLI(t, context.Background(), "", append([]string{"profiles", "search", "--q", "hidden"}, args...)...)
	if code != 0 || strings.Contains(out, "hidden-one") {
		t.Errorf("search without a running server showed a graduate who did not consent")
	}
	code, out, _ = runCLI(t, context.Background(), "", append([]string{"profiles", "search", "--skills", "pytorch"}, args...)...)
	if got := jsonLines[profiles.Profile](t, out); code != 0 || len(got) != 1 || got[0].ID != "demo-youssef" {
		t.Errorf("search --skills pytorch = %v (code %d), want demo-youssef", got, code)
	}
}

// `run --demo` writes alert e-mails to the outbox with no network and stops
// cleanly when its context is cancelled (SIGINT/SIGTERM in main).
func TestRunDemoWritesOutboxAndStops(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole system")
	}
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"run", "--demo", "--data", data, "--http", "127.0.0.1:0"}, strings.NewReader(""), io.Discard, io.Discard)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ents, _ := os.ReadDir(filepath.Join(data, "outbox"))
		if len(ents) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no e-mail in the outbox after 60s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("run exited %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop within 30s of cancellation")
	}
}

func writeLines[T any](t *testing.T, path string, vs []T) {
	t.Helper()
	var b bytes.Buffer
	for _, v := range vs {
		if err := json.NewEncoder(&b).Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sources lists the configured sources with their kind and health, from
// the embedded default set or a file.
func TestSourcesCommand(t *testing.T) {
	data := t.TempDir()
	code, out, errs := runCLI(t, context.Background(), "", "sources", "--data", data, "--http", "127.0.0.1:1")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	if !strings.Contains(out, "SOURCE") || !strings.Contains(out, "remoteok") {
		t.Errorf("default sources table lacks the header or remoteok:\n%s", out)
	}
	enabled := map[string]bool{"jobicy-emea-data": true, "jobicy-emea-engineering": true, "jobicy-data": true, "remoteok": true, "mistral": true}
	for _, line := range strings.Split(out, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 0 && enabled[f[0]] == strings.Contains(line, "disabled") {
			t.Errorf("only the verified sources run by default: %q", line)
		}
	}
	f := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(f, []byte(demo.SourcesJSON("http://127.0.0.1:9")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, context.Background(), "", "sources", "--data", data, "--sources", f, "--http", "127.0.0.1:1")
	if code != 0 || !strings.Contains(out, "demo-careers") || !strings.Contains(out, "jsonld") || strings.Contains(out, "remoteok") {
		t.Errorf("code %d, table:\n%s\n%s", code, out, errs)
	}
	if err := os.WriteFile(f, []byte(`{"sources":[{"name":"Bad Name","kind":"jsonld","url":"x"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs = runCLI(t, context.Background(), "", "sources", "--data", data, "--sources", f, "--http", "127.0.0.1:1"); code == 0 || !strings.Contains(errs, "Bad Name") {
		t.Errorf("invalid config: code %d, stderr %s", code, errs)
	}
}

// A listing page with no structured data is read with CSS selectors given
// on the command line; relative links resolve against --url.
func TestExtractHTMLWithSelectors(t *testing.T) {
	page := filepath.Join(t.TempDir(), "list.html")
	html := `<html><body><ul>
<li class="job"><a class="t" href="/o/1">Data Analyst junior</a><span class="c">Atlas Data</span><span class="l">Oujda, Maroc</span></li>
<li class="job"><a class="t" href="/o/2">Ingénieur MLOps</a><span class="c">Rif AI</span><span class="l">Casablanca</span></li>
</ul></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, context.Background(), "", "extract", "--format", "html", "--url", "https://jobs.example.ma/list",
		"--opt", "item=li.job", "--opt", "title=a.t", "--opt", "url=a.t@href", "--opt", "company=.c", "--opt", "location=.l", page)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	offers := jsonLines[jobs.Offer](t, out)
	if len(offers) != 2 {
		t.Fatalf("%d offers, want 2:\n%s", len(offers), errs)
	}
	if offers[0].URL != "https://jobs.example.ma/o/1" || offers[0].Company != "Atlas Data" ||
		len(offers[0].Locations) == 0 || offers[0].Locations[0].Country != "MA" || offers[0].Locations[0].City != "Oujda" {
		t.Errorf("first offer = %+v", offers[0])
	}
	if code, _, errs := runCLI(t, context.Background(), "", "extract", "--opt", "novalue", page); code != 2 || !strings.Contains(errs, "key=value") {
		t.Errorf("bad --opt: code %d, %s", code, errs)
	}
}

// withBus runs fn on the JetStream of data's embedded server, then stops it.
func withBus(t *testing.T, data string, fn func(js jetstream.JetStream)) {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(data, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	nc, err := bus.Connect("", ns, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Setup(context.Background(), js, 1, nil); err != nil {
		t.Fatal(err)
	}
	fn(js)
}

// dead lists the dead letters and replays them on their subject.
func TestDeadCommand(t *testing.T) {
	data := t.TempDir()
	withBus(t, data, func(js jetstream.JetStream) {
		for _, body := range []string{`{"profile_id":"g-late","offer_id":"remoteok:1"}`, "تجربة غير صالحة"} {
			_, err := js.PublishMsg(context.Background(), &nats.Msg{Subject: bus.DeadSubject("notifier"), Data: []byte(body), Header: nats.Header{
				bus.HeaderDeadSubject: {"matches.g-late"}, bus.HeaderDeadConsumer: {"notifier"}, bus.HeaderDeadReason: {"unknown profile \"g-late\""},
			}})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	code, out, errs := runCLI(t, context.Background(), "", "dead", "--data", data, "--http", "127.0.0.1:1")
	if code != 0 || !strings.Contains(out, "SEQ") || !strings.Contains(out, "matches.g-late") || !strings.Contains(out, `unknown profile "g-late"`) || !strings.Contains(out, "تجربة") {
		t.Fatalf("code %d, list:\n%s\n%s", code, out, errs)
	}
	if code, _, errs = runCLI(t, context.Background(), "", "dead", "replay", "--data", data, "--http", "127.0.0.1:1"); code != 2 {
		t.Errorf("replay without numbers: code %d, %s", code, errs)
	}
	if code, _, errs = runCLI(t, context.Background(), "", "dead", "replay", "9", "--data", data, "--http", "127.0.0.1:1"); code == 0 || !strings.Contains(errs, "no such dead letter") {
		t.Errorf("replay of a missing letter: code %d, %s", code, errs)
	}
	code, out, errs = runCLI(t, context.Background(), "", "dead", "replay", "1", "--data", data, "--http", "127.0.0.1:1")
	if code != 0 || !strings.Contains(out, "1\t→ matches.g-late") {
		t.Fatalf("replay 1: code %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs = runCLI(t, context.Background(), "", "dead", "replay", "all", "--data", data, "--http", "127.0.0.1:1"); code != 0 || !strings.Contains(out, "2\t→ matches.g-late") {
		t.Fatalf("replay all: code %d\n%s\n%s", code, out, errs)
	}
	withBus(t, data, func(js jetstream.JetStream) {
		left, err := bus.DeadLetters(context.Background(), js, 10)
		if err != nil || len(left) != 0 {
			t.Errorf("dead letters left: %d, %v", len(left), err)
		}
		st, err := js.Stream(context.Background(), bus.StreamMatches)
		if err != nil {
			t.Fatal(err)
		}
		m, err := st.GetLastMsgForSubject(context.Background(), "matches.g-late")
		if err != nil || string(m.Data) != "تجربة غير صالحة" || m.Header.Get(bus.HeaderDeadReason) != "" {
			t.Errorf("replayed message %+v, %v", m, err)
		}
	})
}

// A school's spreadsheet as French Excel saves it: the dry run says what
// would change and stores nothing; the import keeps the good rows, names
// each bad one by line and column, and exits non-zero; the export opens in
// French Excel and re-imports to the same profiles with nothing rejected.
func TestProfilesImportSpreadsheet(t *testing.T) {
	data := t.TempDir()
	args := []string{"--data", data, "--http", "127.0.0.1:1"}
	file := filepath.Join("..", "..", "profiles", "testdata", "ecole-exemple.csv")
	code, out, _ := runCLI(t, context.Background(), "", append([]string{"profiles", "import", "--dry-run"}, append(args, file)...)...)
	if code != 1 || !strings.Contains(out, "4 profils seraient créés") || !strings.Contains(out, "séparateur \";\"") {
		t.Fatalf("dry run: code %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, context.Background(), "", append([]string{"profiles", "export"}, args...)...)
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Fatalf("the dry run stored profiles: %q", out)
	}
	code, out, errs := runCLI(t, context.Background(), "", append([]string{"profiles", "import"}, append(args, file)...)...)
	if code != 1 || !strings.Contains(out, "4 profils importés (4 nouveaux, 0 mis à jour), 4 lignes rejetées") ||
		!strings.Contains(errs, `ligne 5, colonne « Adresse e-mail » : "`) || !strings.Contains(errs, "n'est pas une adresse e-mail valide") {
		t.Fatalf("import: code %d\n%s\n%s", code, out, errs)
	}
	// The same messages in English and Arabic (--lang), line and column kept.
	for lang, want := range map[string][]string{
		"en": {`line 5, column "Adresse e-mail": "`, "is not a valid e-mail address", "0 profiles would be created, 4 updated"},
		"ar": {"السطر 5، العمود «Adresse e-mail»: \"", "ليس عنوان بريد إلكتروني صالحًا", "ويُحدَّث 4"},
	} {
		code, out, errs := runCLI(t, context.Background(), "", append([]string{"profiles", "import", "--dry-run", "--lang", lang}, append(args, file)...)...)
		errs = strings.NewReplacer("\u2068", "", "\u2069", "").Replace(errs) // directional isolates
		for _, w := range want {
			if code != 1 || !strings.Contains(out+errs, w) {
				t.Errorf("--lang %s: code %d, %q missing\n%s\n%s", lang, code, w, out, errs)
			}
		}
		if strings.Contains(errs, "ligne ") {
			t.Errorf("--lang %s: French left in the messages:\n%s", lang, errs)
		}
	}
	code, csvOut, _ := runCLI(t, context.Background(), "", append([]string{"profiles", "export", "--csv"}, args...)...)
	if code != 0 || !strings.HasPrefix(csvOut, "\uFEFFIdentifiant;") {
		t.Fatalf("export --csv: code %d\n%.200s", code, csvOut)
	}
	back := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(back, []byte(csvOut), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, context.Background(), "", append([]string{"profiles", "import"}, append(args, back)...)...)
	if code != 0 || !strings.Contains(out, "(0 nouveaux, ") || !strings.Contains(out, " 0 lignes rejetées") {
		t.Errorf("re-import of the export: code %d\n%s\n%s", code, out, errs)
	}
}

// TestSuppressCommand: addresses given as arguments or on standard input
// go on the suppression list, are reported, and come off it.
func TestSuppressCommand(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	args := func(words ...string) []string { return append(words, "--data", data) }
	if code, _, errs := runCLI(t, ctx, "", args("suppress", "add", "not an address")...); code != 2 {
		t.Fatalf("a bad address: code %d %s", code, errs)
	}
	if code, out, errs := runCLI(t, ctx, "b@example.org\n# comment\nc@example.org\n", args("suppress", "add", "--reason", "550 5.1.1", "a@example.org", "-")...); code != 0 || !strings.Contains(out, "3 address(es): suppressed") {
		t.Fatalf("add: %d %q %s", code, out, errs)
	}
	code, out, errs := runCLI(t, ctx, "", args("suppress", "check", "a@example.org", "C@EXAMPLE.ORG", "d@example.org")...)
	if code != 0 || out != "a@example.org\tsuppressed\nC@EXAMPLE.ORG\tsuppressed\nd@example.org\tnot suppressed\n" {
		t.Fatalf("check: %d %q %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, ctx, "", args("suppress", "remove", "a@example.org")...); code != 0 {
		t.Fatalf("remove: %d %s", code, errs)
	}
	if _, out, _ := runCLI(t, ctx, "", args("suppress", "check", "a@example.org")...); out != "a@example.org\tnot suppressed\n" {
		t.Errorf("after remove: %q", out)
	}
}
