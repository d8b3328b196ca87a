package crawler

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/skills"
)

// BenchmarkExtractNormalize is what `passerelle extract --format auto`
// does to every shared fixture: detect the kind, parse, normalize (with
// skill extraction). It reports postings per second on one goroutine (one
// core) and the cost of normalization as a ratio to parsing alone,
// measured in the same run.
func BenchmarkExtractNormalize(b *testing.B) {
	dir, ok := fixtures.Find()
	if !ok {
		b.Skip("../shared/fixtures absent")
	}
	var docs []Document
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, string(filepath.Separator)+"expected"+string(filepath.Separator)) {
			return nil
		}
		switch filepath.Ext(p) {
		case ".json", ".html", ".xml", ".rss":
		default:
			return nil
		}
		body, err := os.ReadFile(p)
		if err == nil {
			docs = append(docs, Document{URL: "https://bench.example/" + filepath.Base(p), Body: body})
		}
		return nil
	})
	norm := jobs.Normalizer{Skills: skills.Default()}
	var parseDur, normDur time.Duration
	postings := 0
	for b.Loop() {
		var parsed [][]jobs.Posting
		t0 := time.Now()
		for _, d := range docs {
			f, ok := DetectFormat(d)
			if !ok {
				continue
			}
			res, err := f.Parse(d)
			if err != nil {
				continue
			}
			parsed = append(parsed, res.Postings)
		}
		t1 := time.Now()
		for _, ps := range parsed {
			for _, p := range ps {
				if _, err := norm.Normalize(p); err == nil {
					postings++
				}
			}
		}
		t2 := time.Now()
		parseDur += t1.Sub(t0)
		normDur += t2.Sub(t1)
	}
	total := (parseDur + normDur).Seconds()
	b.ReportMetric(float64(postings)/total, "postings/s")
	b.ReportMetric(float64(postings)/float64(b.N), "postings/op")
	b.ReportMetric((parseDur+normDur).Seconds()/parseDur.Seconds(), "total/parse")
}
