package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/passerelle/passerelle/jobs"
)

// tpanicFormat is a test-only kind whose parser panics on every document,
// as a parser bug triggered by one page would.
var tpanicFormat = Format{
	Name:   "tpanic",
	Detect: func(d Document) bool { return bytes.Contains(d.Body, []byte("PANIC-DETECT")) },
	Parse: func(d Document) (ParseResult, error) {
		var offsets []int
		_ = offsets[len(d.URL)] // index out of range: a real runtime panic, not a panic(string)
		return ParseResult{}, nil
	},
}

// panickyNormalizer panics on postings whose title says so, and is the
// test normalizer otherwise.
type panickyNormalizer struct{}

func (panickyNormalizer) Normalize(p jobs.Posting) (jobs.Offer, error) {
	if strings.Contains(p.Title, "PANIC") {
		var xs []int
		_ = xs[len(p.Title)] // index out of range
	}
	return testNormalizer{}.Normalize(p)
}

// A parser that panics on one source's page and a normalizer that panics on
// one posting stop neither the run of the other postings nor the other
// sources; each panic is logged with the input's id and the stack, and
// counted in the source's health.
func TestCrawlerRecoversPanics(t *testing.T) {
	site := newTestSite(t)
	site.serve("/a", "application/json", tjBody(t,
		tjPosting{ID: "1", Title: "Data Analyst", Company: "Oujda Data"},
		tjPosting{ID: "2", Title: "PANIC in the normalizer", Company: "X"},
		tjPosting{ID: "3", Title: "ML Engineer", Company: "Nador AI"}))
	site.serve("/b", "text/plain", []byte("anything"))
	site.serve("/c", "application/json", tjBody(t, tjPosting{ID: "9", Title: "BI Developer", Company: "Berkane BI"}))
	// A detail page whose parsing panics: the listing's posting is kept.
	site.serve("/d", "application/json", tjBody(t, tjPosting{ID: "d1", Title: "Data Engineer", Company: "Taza", URL: "/d/1"}))
	site.serve("/d/1", "text/html", []byte("<html>PANIC-DETECT</html>"))

	byName := func(name string) (Format, bool) {
		if name == tpanicFormat.Name {
			return tpanicFormat, true
		}
		return testFormatByName(name)
	}
	detect := func(d Document) (Format, bool) {
		if tpanicFormat.Detect(d) {
			return tpanicFormat, true
		}
		return testDetectFormat(d)
	}
	d := localSource("d", "tjson", site.URL+"/d")
	d.FollowDetail = true
	d.Options = map[string]string{"detail_kind": "auto"}
	srcs := []SourceConfig{
		localSource("a", "tjson", site.URL+"/a"),
		localSource("b", "tpanic", site.URL+"/b"),
		localSource("c", "tjson", site.URL+"/c"),
		d,
	}
	logs := &logRecorder{}
	pub := &recPublisher{}
	c, err := newCrawler(Config{Logger: slog.New(logs), MaxRetries: -1}, srcs,
		Deps{Publisher: pub, Normalizer: panickyNormalizer{}}, byName, detect)
	if err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	c.now, c.sleep, c.limiter = clk.now, clk.sleep, newPoliteLimiter(clk.now)

	ctx := context.Background()
	err = c.RunAll(ctx)
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("RunAll error = %v, want source b's recovered panic", err)
	}
	if got, want := strings.Join(sortedIDs(pub.ids()), ","), "a:1,a:3,c:9,d:d1"; got != want {
		t.Fatalf("published %s, want %s: the other postings and sources go on", got, want)
	}

	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		recovered int
		health    string
	}{"a": {1, HealthDegraded}, "b": {1, HealthDegraded}, "c": {0, HealthOK}, "d": {1, HealthDegraded}}
	for _, s := range st {
		w := want[s.Name]
		if s.Recovered != w.recovered || s.TotalRecovered != int64(w.recovered) || s.Health != w.health {
			t.Errorf("%s: recovered %d (total %d) health %s, want %d and %s", s.Name, s.Recovered, s.TotalRecovered, s.Health, w.recovered, w.health)
		}
	}

	recs := logs.find("crawler: input skipped after a panic")
	if len(recs) != 3 {
		t.Fatalf("%d panic logs, want 3: %v", len(recs), recs)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r["source"]] = true
		if !strings.Contains(r["stack"], "goroutine") || !strings.Contains(r["stack"], "crawler") {
			t.Errorf("panic log of %s has no stack: %q", r["source"], r["stack"])
		}
		if r["url"] == "" && r["source_id"] == "" {
			t.Errorf("panic log of %s does not name the input: %v", r["source"], r)
		}
	}
	for _, name := range []string{"a", "b", "d"} {
		if !seen[name] {
			t.Errorf("no panic log for source %s", name)
		}
	}
	for _, r := range recs {
		if r["source"] == "a" && r["source_id"] != "2" {
			t.Errorf("normalizer panic logged with source_id %q, want 2", r["source_id"])
		}
	}

	// The next run of a starts clean: health comes back, the total stays.
	site.serve("/a", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Data Analyst", Company: "Oujda Data"}))
	if _, err := c.RunSource(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	st, _ = c.Status(ctx)
	for _, s := range st {
		if s.Name == "a" && (s.Recovered != 0 || s.TotalRecovered != 1 || s.Health != HealthOK) {
			t.Errorf("a after a clean run: %+v", s)
		}
	}
}

func sortedIDs(ids []string) []string {
	out := append([]string(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// A page carrying hostile text goes through the real parsers and the real
// normalizer end to end: width-changing letters before a UTC offset (the
// 'ȺȺȺȺȺUTC0' that panicked the eligibility reader), a huge string,
// invalid UTF-8 and deep nesting. The run succeeds, nothing is recovered,
// and what is published is valid.
func TestCrawlerHostileTextEndToEnd(t *testing.T) {
	deep := strings.Repeat(`{"a":[`, 5000) + `1` + strings.Repeat(`]}`, 5000)
	huge := strings.Repeat("Python SQL Spark ȺȺȺ ", 60_000) // ~1.3 MB description
	postings := []string{
		`{"@context":"https://schema.org","@type":"JobPosting","title":"Data Analyst ȺȺȺȺȺUTC0","identifier":"h1",
		  "hiringOrganization":{"@type":"Organization","name":"ȺȺȺȺȺ"},"jobLocationType":"TELECOMMUTE",
		  "applicantLocationRequirements":{"@type":"Country","name":"ȺȺȺȺȺUTC0"},
		  "description":"Remote ȺȺȺȺȺUTC0 UTC+1 ± ȺȺȺ GMT-ȺȺ","datePosted":"2026-11-18"}`,
		`{"@context":"https://schema.org","@type":"JobPosting","title":"ML Engineer","identifier":"h2",
		  "hiringOrganization":{"@type":"Organization","name":"Oujda AI"},
		  "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Oujda","addressCountry":"MA"}},
		  "description":` + mustJSON(t, huge) + `,"extra":` + deep + `}`,
		`{"@context":"https://schema.org","@type":"JobPosting","title":"BI \xff\xfe Developer","identifier":"h3",
		  "hiringOrganization":"Berkane \xc3\x28 BI","applicantLocationRequirements":"\xed\xa0\x80 Morocco",
		  "description":"Power BI \x00 \xf0\x28\x8c\x28"}`,
	}
	var page bytes.Buffer
	page.WriteString("<html><head>")
	for _, p := range postings {
		page.WriteString(`<script type="application/ld+json">` + p + `</script>`)
	}
	page.WriteString("</head><body>" + strings.Repeat("<div>", 20000) + "</body></html>")

	site := newTestSite(t)
	site.serve("/careers", "text/html; charset=utf-8", page.Bytes())
	src := localSource("hostile", "jsonld", site.URL+"/careers")
	c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{Normalizer: jobs.Normalizer{}})
	rep, err := c.RunSource(context.Background(), "hostile")
	if err != nil {
		t.Fatalf("RunSource: %v (report %+v)", err, rep)
	}
	if rep.Recovered != 0 {
		t.Fatalf("%d inputs recovered after a panic: the readers must not panic on this page (%v)", rep.Recovered, rep.Errors)
	}
	if rep.Published+rep.Skipped != 3 || rep.Published < 2 {
		t.Fatalf("report %+v: want the three postings handled, at least two published", rep)
	}
	for _, o := range pub.offers {
		if err := o.Validate(); err != nil {
			t.Errorf("offer %s does not validate: %v", o.ID, err)
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("offer %s: %v", o.ID, err)
		}
		if !utf8.Valid(b) {
			t.Errorf("offer %s is not valid UTF-8", o.ID)
		}
		for _, f := range []string{o.Title, o.Company, o.Description} {
			if !utf8.ValidString(f) || strings.ContainsRune(f, 0) {
				t.Errorf("offer %s carries invalid text %q", o.ID, f[:min(len(f), 80)])
			}
		}
		if len(o.Description) > jobs.MaxDescriptionLen {
			t.Errorf("offer %s description is %d bytes, over the %d limit", o.ID, len(o.Description), jobs.MaxDescriptionLen)
		}
		if o.Terms != src.Terms {
			t.Errorf("offer %s terms %+v, want the source's %+v", o.ID, o.Terms, src.Terms)
		}
	}
	if o, ok := pub.byID("hostile:h1"); ok && o.Eligibility.Worldwide {
		t.Errorf("'ȺȺȺȺȺUTC0' was read as worldwide: %+v", o.Eligibility)
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The recover helpers turn a panic into an error naming the input, with
// the stack, and are transparent otherwise.
func TestRecoverHelpers(t *testing.T) {
	_, err := ParseSafely(tpanicFormat, Document{URL: "https://x.test/p"})
	var pe *PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "https://x.test/p") || PanicStack(err) == "" {
		t.Fatalf("ParseSafely = %v, want a PanicError naming the document, with a stack", err)
	}
	_, err = NormalizeSafely(panickyNormalizer{}, jobs.Posting{Source: "s", SourceID: "42", Title: "PANIC"})
	if !errors.Is(err, ErrPanic) || !strings.Contains(err.Error(), "s:42") {
		t.Fatalf("NormalizeSafely = %v, want a recovered panic naming s:42", err)
	}
	o, err := NormalizeSafely(panickyNormalizer{}, jobs.Posting{Source: "s", SourceID: "1", Title: "Fine"})
	if err != nil || o.ID != "s:1" {
		t.Fatalf("NormalizeSafely on a good posting = %+v, %v", o, err)
	}
	if PanicStack(errors.New("plain")) != "" {
		t.Error("PanicStack of a plain error is not empty")
	}
}
