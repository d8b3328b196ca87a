package crawler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/internal/fixtures"
)

// apiDetected returns the names of the API kinds whose detector accepts doc.
func apiDetected(doc Document) []string {
	var names []string
	for _, f := range apiFormats() {
		if f.Detect(doc) {
			names = append(names, f.Name)
		}
	}
	return names
}

func TestAPIFormatsRegistered(t *testing.T) {
	want := []string{"remotive", "remoteok", "himalayas", "jobicy", "arbeitnow", "greenhouse", "lever", "ashby",
		"workable", "smartrecruiters", "recruitee", "workingnomads", "jsonfeed", "digitalrecruiters", "talentsoft", "anapec"}
	seen := map[string]bool{}
	for _, f := range apiFormats() {
		if f.Detect == nil || f.Parse == nil {
			t.Errorf("%s: Detect or Parse is nil", f.Name)
		}
		if seen[f.Name] {
			t.Errorf("kind %s listed twice", f.Name)
		}
		seen[f.Name] = true
	}
	for _, name := range want {
		if !seen[name] {
			t.Errorf("kind %s missing from apiFormats", name)
		}
		if _, ok := FormatByName(name); !ok {
			t.Errorf("FormatByName(%q) not found", name)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("apiFormats has %d kinds, want %d", len(seen), len(want))
	}
}

// Every fixture must be recognised by its own kind's detector and by no
// other API detector.
func TestAPIDetectOwnFixtures(t *testing.T) {
	for _, f := range apiOwnFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			if got := apiDetected(apiLoad(t, f)); len(got) != 1 || got[0] != f.Kind {
				t.Errorf("detected as %v, want exactly [%s]", got, f.Kind)
			}
		})
	}
}

func TestAPIDetectSharedFixtures(t *testing.T) {
	for _, f := range apiSharedFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			doc := apiLoad(t, f)
			if got := apiDetected(doc); len(got) != 1 || got[0] != f.Kind {
				t.Errorf("detected as %v, want exactly [%s]", got, f.Kind)
			}
			if got, ok := DetectFormat(doc); !ok || got.Name != f.Kind {
				t.Errorf("DetectFormat = %q, %v; want %s", got.Name, ok, f.Kind)
			}
		})
	}
}

// Pages and feeds (HTML, RSS, XML, JSON-LD) are other kinds' business: no
// API detector may claim them.
func TestAPIDetectRejectsPagesAndFeeds(t *testing.T) {
	root := fixtures.Dir(t)
	var paths []string
	for _, dir := range []string{"rss", "jsonld-html", "microdata-html", "other"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatalf("read %s: %v", dir, err)
		}
		for _, e := range entries {
			name := dir + "/" + e.Name()
			if _, isAPI := apiOtherFixtures[name]; isAPI || e.IsDir() {
				continue
			}
			paths = append(paths, name)
		}
	}
	if len(paths) == 0 {
		t.Fatal("no page or feed fixtures found")
	}
	for _, name := range paths {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := apiDetected(Document{URL: name, Body: b}); len(got) != 0 {
			t.Errorf("%s detected as %v, want no API kind", name, got)
		}
	}
}

func TestAPIDetectRejectsOddInput(t *testing.T) {
	for _, body := range []string{
		"", "null", "[]", "{}", "42", `"jobs"`, "<html><body>jobs</body></html>", "<?xml version='1.0'?><rss/>",
		`{"jobs": []}`, `{"jobs": "x"}`, `{"jobs": [1, 2]}`, `[{"title": "x"}]`, `{"jobs": [{"title": "x", "url": "y"}]}`,
		`{"data": [{"title": "x"}]}`, `{"content": [{"name": "x"}]}`, `{"offers": [{}]}`, `[[]]`, `{"jobs": [{}`,
		`{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "blog post"}]}`,
		`{"@context": "https://schema.org", "@type": "JobPosting", "title": "x"}`,
	} {
		if got := apiDetected(Document{Body: []byte(body)}); len(got) != 0 {
			t.Errorf("%q detected as %v, want none", body, got)
		}
	}
	big := Document{Body: []byte("[" + strings.Repeat(" ", apiMaxBody) + `{"legal": "x"}]`)}
	if got := apiDetected(big); len(got) != 0 {
		t.Errorf("oversize document detected as %v", got)
	}
}
