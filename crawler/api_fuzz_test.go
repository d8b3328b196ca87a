package crawler

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/fixtures"
)

// apiSeedFixtures lists our own fixtures and, when present, the shared ones,
// without skipping (fuzz seeds and benchmarks use what is there).
func apiSeedFixtures(tb testing.TB) []apiFixture {
	all := apiOwnFixtures(tb)
	if _, ok := fixtures.Find(); ok {
		all = append(all, apiSharedFixtures(tb)...)
	}
	return all
}

func apiKindIndex(kind string) uint8 {
	for i, f := range apiFormats() {
		if f.Name == kind {
			return uint8(i)
		}
	}
	return 0
}

// FuzzAPIParsers feeds arbitrary bytes to one API kind (chosen by the first
// argument) and to every detector: no panic, no posting without a title,
// skips point inside the document.
func FuzzAPIParsers(f *testing.F) {
	for _, fx := range apiSeedFixtures(f) {
		doc := apiLoad(f, fx)
		f.Add(apiKindIndex(fx.Kind), doc.Body)
	}
	f.Add(uint8(0), []byte(`{"jobs":[null,1,"x",[],{"id":{},"title":["a"]}]}`))
	formats := apiFormats()
	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		doc := Document{URL: "fuzz", Body: body}
		for _, format := range formats {
			format.Detect(doc)
		}
		format := formats[int(k)%len(formats)]
		res, err := format.Parse(doc)
		if err != nil {
			if len(res.Postings) > 0 {
				t.Fatalf("%s: error %v with %d postings", format.Name, err, len(res.Postings))
			}
			return
		}
		for i, p := range res.Postings {
			if strings.TrimSpace(p.Title) == "" {
				t.Fatalf("%s: posting %d has no title", format.Name, i)
			}
		}
		for _, s := range res.Skipped {
			if s.Index < 0 || s.Reason == "" {
				t.Fatalf("%s: bad skip %+v", format.Name, s)
			}
		}
	})
}

// BenchmarkExtractAPI parses every API fixture with its kind and, in the
// same loop, decodes the same bytes with json.Unmarshal into any (the
// baseline). Metrics: postings/s for the parsers, and parse-vs-baseline, the
// parsers' time over the baseline's.
func BenchmarkExtractAPI(b *testing.B) {
	type item struct {
		doc    Document
		format Format
	}
	var items []item
	var size int64
	for _, fx := range apiSeedFixtures(b) {
		format, _ := FormatByName(fx.Kind)
		doc := apiLoad(b, fx)
		items = append(items, item{doc, format})
		size += int64(len(doc.Body))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var parseDur, anyDur time.Duration
	postings := 0
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		for _, it := range items {
			res, err := it.format.Parse(it.doc)
			if err != nil {
				b.Fatal(err)
			}
			postings += len(res.Postings)
		}
		t1 := time.Now()
		for _, it := range items {
			var v any
			if err := json.Unmarshal(it.doc.Body, &v); err != nil {
				b.Fatal(err)
			}
		}
		parseDur += t1.Sub(t0)
		anyDur += time.Since(t1)
	}
	if parseDur > 0 && anyDur > 0 {
		b.ReportMetric(float64(postings)/parseDur.Seconds(), "postings/s")
		b.ReportMetric(parseDur.Seconds()/anyDur.Seconds(), "parse-vs-baseline")
	}
}

// FuzzAPIUnquote checks apiUnquote against encoding/json on every valid
// JSON string literal.
func FuzzAPIUnquote(f *testing.F) {
	for _, s := range []string{`"plain"`, `"a\"b\\c\/d\n\t\r\b\f"`, `"\u00e9\u200b"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00\ud83d x"`,
		`"\ud83d\u0041"`, "\"\xff\xfe\"", `"é"`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, lit []byte) {
		var want string
		if json.Unmarshal(lit, &want) != nil || len(lit) == 0 || lit[0] != '"' {
			return
		}
		got, err := apiUnquote(lit)
		if err != nil {
			t.Fatalf("apiUnquote(%q): %v", lit, err)
		}
		if got != want {
			t.Fatalf("apiUnquote(%q) = %q, encoding/json gives %q", lit, got, want)
		}
	})
}
