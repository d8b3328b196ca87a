package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFixtureSource(t *testing.T) {
	tests := []struct{ rel, want string }{
		{"remoteok/brete-remoteok.json", "brete-remoteok"},
		{"greenhouse/ghio-2013-embed-jobs-content.vcr.yml", "ghio-2013-embed-jobs-content"},
		{"rss/lba-pass-fonction-publique-fr.rss", "lba-pass-fonction-publique-fr"},
		{"other/Rekrute-MA-listing-fr.html", "rekrute-ma-listing-fr"},
	}
	for _, tt := range tests {
		if got := fixtureSource(tt.rel); got != tt.want {
			t.Errorf("fixtureSource(%q) = %q, want %q", tt.rel, got, tt.want)
		}
	}
}

func TestReadFixtureSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	got, err := ReadFixtureSources(filepath.Join(dir, "absent.json"))
	if err != nil || got != nil {
		t.Errorf("absent file: %v, %v", got, err)
	}
	got, err = ReadFixtureSources(write("ok.json", `{"files":{"a/b.html":{"format":"html","url":"https://x.example/","options":{"item":"li"}}}}`))
	if err != nil || got["a/b.html"].Options["item"] != "li" || got["a/b.html"].URL != "https://x.example/" {
		t.Errorf("ok file: %v, %v", got, err)
	}
	if _, err := ReadFixtureSources(write("bad.json", `{"files":{"a.html":{"format":"nope"}}}`)); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("unknown format: err = %v", err)
	}
	if _, err := ReadFixtureSources(write("broken.json", `{"files":`)); err == nil {
		t.Error("broken JSON: no error")
	}
}

// TestLoadFixtures reads the shared fixtures (skipped when absent) and
// checks that ids are stable, unique and keyed by file.
func TestLoadFixtures(t *testing.T) {
	dir, ok := FixturesDir()
	if !ok {
		t.Skip("shared/fixtures not found beside the repository: skipping the real-fixture pool")
	}
	srcs, err := ReadFixtureSources("../testdata/eval/fixture_sources.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := LoadFixtures(dir, srcs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadFixtures(dir, srcs)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Offers) == 0 || len(a.Offers) != len(b.Offers) {
		t.Fatalf("%d then %d offers", len(a.Offers), len(b.Offers))
	}
	seen := map[string]bool{}
	for i, o := range a.Offers {
		if o.ID != b.Offers[i].ID {
			t.Errorf("offer %d: id %s then %s", i, o.ID, b.Offers[i].ID)
		}
		if seen[o.ID] {
			t.Errorf("duplicate id %s", o.ID)
		}
		seen[o.ID] = true
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", o.ID, err)
		}
	}
	// The ReKrute page has no structured data: it is read only through
	// the selectors of fixture_sources.json.
	if !seen["rekrute-ma-listing-fr:181766"] {
		t.Error("ReKrute listing not read with its configured selectors")
	}
}
