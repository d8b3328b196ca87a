package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/skills"
)

// FixtureFile is the outcome of reading one shared fixture file.
type FixtureFile struct {
	Path   string // relative to the fixtures folder, with '/'
	Format string // crawler format name, "" when none recognised it
	Offers int    // offers kept (after duplicates by fingerprint)
	Note   string // why nothing (or less) was read: no format, parse error, skipped postings
}

// Fixtures is the pool of real offers read from shared/fixtures.
type Fixtures struct {
	Offers []jobs.Offer
	Files  []FixtureFile
	// Duplicates counts postings dropped because an earlier fixture offer
	// had the same fingerprint (as the crawler drops them).
	Duplicates int
}

// fixtureSkipDirs hold expected outputs of other projects, not documents a
// crawler would fetch.
var fixtureSkipDirs = map[string]bool{"expected": true}

// FixtureSource says how to read one fixture file that detection cannot
// claim alone (a page read with CSS selectors): the crawler format, the
// address it was fetched from, and the source's parser options.
type FixtureSource struct {
	Format  string            `json:"format"`
	URL     string            `json:"url"`
	Options map[string]string `json:"options"`
}

// ReadFixtureSources reads fixture_sources.json ({"files": {path: source}}).
// A missing file means no configured sources.
func ReadFixtureSources(path string) (map[string]FixtureSource, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eval: read %s: %w", path, err)
	}
	var v struct {
		Files map[string]FixtureSource `json:"files"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("eval: parse %s: %w", path, err)
	}
	for name, s := range v.Files {
		if _, ok := crawler.FormatByName(s.Format); !ok {
			return nil, fmt.Errorf("eval: %s: %s: unknown format %q", path, name, s.Format)
		}
	}
	return v.Files, nil
}

// LoadFixtures reads every page, feed and API answer under dir (the shared
// real-world fixtures) the way the crawler does: crawler.DetectFormat picks
// the parser (or, for a file listed in sources, crawler.FormatByName with
// the configured options), then jobs.Normalizer with the default skills
// taxonomy builds offers. Each file is its own source, named after the
// file, so offer ids ("brete-remoteok:123456") are stable and do not
// collide across captures; postings whose fingerprint was already seen are
// dropped, as the crawler drops them. Files no parser recognises are
// listed with a note, not treated as errors: the pool is what the pipeline
// can read.
func LoadFixtures(dir string, sources map[string]FixtureSource) (*Fixtures, error) {
	n := jobs.Normalizer{Skills: skills.Default(), Now: func() time.Time { return Now }}
	fx := &Fixtures{}
	seenID := map[string]bool{}
	seenFP := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if fixtureSkipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), "SOURCES.") || strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("eval: read fixture %s: %w", rel, err)
		}
		ff := FixtureFile{Path: rel}
		doc := crawler.Document{URL: fixtureURL(rel), ContentType: contentTypeOf(rel), Body: body}
		var f crawler.Format
		var ok bool
		if src, listed := sources[rel]; listed {
			if src.URL != "" {
				doc.URL = src.URL
			}
			doc.Options = src.Options
			f, ok = crawler.FormatByName(src.Format)
		} else {
			f, ok = crawler.DetectFormat(doc)
		}
		if !ok {
			ff.Note = "no format recognises it"
			fx.Files = append(fx.Files, ff)
			return nil
		}
		ff.Format = f.Name
		pr, err := f.Parse(doc)
		if err != nil {
			ff.Note = "parse error: " + err.Error()
			fx.Files = append(fx.Files, ff)
			return nil
		}
		if len(pr.Skipped) > 0 {
			ff.Note = fmt.Sprintf("%d postings skipped by the parser", len(pr.Skipped))
		}
		src := fixtureSource(rel)
		dups := 0
		for _, p := range pr.Postings {
			p.Source = src
			p.Terms = jobs.Terms{Attribution: "shared fixture " + rel}
			o, err := n.Normalize(p)
			if err != nil {
				// A posting without a title: the crawler skips it too.
				continue
			}
			if seenID[o.ID] || (o.Fingerprint != "" && seenFP[o.Fingerprint]) {
				fx.Duplicates++
				dups++
				continue
			}
			seenID[o.ID] = true
			if o.Fingerprint != "" {
				seenFP[o.Fingerprint] = true
			}
			fx.Offers = append(fx.Offers, o)
			ff.Offers++
		}
		if ff.Offers == 0 && ff.Note == "" {
			ff.Note = fmt.Sprintf("%d postings, all duplicates of earlier fixtures", dups)
		}
		fx.Files = append(fx.Files, ff)
		return nil
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("eval: fixtures %s: %w", dir, err)
		}
		return nil, fmt.Errorf("eval: walk fixtures %s: %w", dir, err)
	}
	sort.Slice(fx.Files, func(i, j int) bool { return fx.Files[i].Path < fx.Files[j].Path })
	return fx, nil
}

// fixtureSource names a file's source: its base name without extension,
// lower-cased ("remoteok/brete-remoteok.json" -> "brete-remoteok").
func fixtureSource(rel string) string {
	base := filepath.Base(rel)
	for _, ext := range []string{".vcr.yml", ".expected.yml"} {
		base = strings.TrimSuffix(base, ext)
	}
	return strings.ToLower(strings.TrimSuffix(base, filepath.Ext(base)))
}

// fixtureURL is the address a document is read as; relative links in it
// resolve under it. The .invalid domain can never be fetched.
func fixtureURL(rel string) string {
	return "https://fixtures.passerelle.invalid/" + rel
}

// contentTypeOf guesses the Content-Type a server would have sent, from the
// file's extension; detectors also sniff the body, so "" is fine.
func contentTypeOf(rel string) string {
	switch strings.ToLower(filepath.Ext(rel)) {
	case ".json":
		return "application/json"
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".xml", ".rss":
		return "application/xml"
	}
	return ""
}

// FixturesDir locates the shared real-world fixtures: $PASSERELLE_FIXTURES,
// else shared/fixtures beside the module root.
func FixturesDir() (string, bool) {
	if d := os.Getenv("PASSERELLE_FIXTURES"); d != "" {
		st, err := os.Stat(d)
		return d, err == nil && st.IsDir()
	}
	return fixtures.Find()
}

// WithFixtures returns a copy of ds whose pool also holds the offers read
// from fixturesDir (LoadFixtures, with dir/fixture_sources.json), keyed by
// offer id, and whose judgments include dir/judgments_fixtures.tsv.
func WithFixtures(ds *Dataset, dir, fixturesDir string) (*Dataset, *Fixtures, error) {
	srcs, err := ReadFixtureSources(filepath.Join(dir, "fixture_sources.json"))
	if err != nil {
		return nil, nil, err
	}
	fx, err := LoadFixtures(fixturesDir, srcs)
	if err != nil {
		return nil, nil, err
	}
	out := &Dataset{
		Profiles:  ds.Profiles,
		Offers:    append(append([]jobs.Offer(nil), ds.Offers...), fx.Offers...),
		Keys:      make(map[string]string, len(ds.Keys)+len(fx.Offers)),
		Judgments: make(map[string]map[string]Judgment, len(ds.Judgments)),
	}
	for id, k := range ds.Keys {
		out.Keys[id] = k
	}
	for _, o := range fx.Offers {
		if _, dup := out.Keys[o.ID]; dup {
			return nil, nil, fmt.Errorf("eval: fixture offer %s has the id of a development-set ad", o.ID)
		}
		out.Keys[o.ID] = o.ID
	}
	for p, m := range ds.Judgments {
		out.Judgments[p] = make(map[string]Judgment, len(m))
		for k, j := range m {
			out.Judgments[p][k] = j
		}
	}
	if err := readJudgments(filepath.Join(dir, "judgments_fixtures.tsv"), out.Judgments); err != nil {
		return nil, nil, err
	}
	return out, fx, nil
}
