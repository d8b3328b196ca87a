package crawler

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/internal/fixtures"
)

// -update-api (not -update: the page/feed tests own that flag) rewrites the
// golden files of the API kinds from the parsers' current output.
var updateAPIGolden = flag.Bool("update-api", false, "rewrite crawler/testdata/golden/api from the API parsers' output")

// apiKindDirs are the shared fixture folders named after an API kind.
var apiKindDirs = []string{
	"remotive", "remoteok", "himalayas", "jobicy", "arbeitnow", "greenhouse",
	"lever", "ashby", "workable", "smartrecruiters", "recruitee",
}

// apiOtherFixtures are shared fixtures in other/ read by an API kind.
var apiOtherFixtures = map[string]string{
	"other/ikevinxie-workingnomads.json":                       "workingnomads",
	"other/careerkit-teamtailor-jsonfeed-with-jobposting.json": "jsonfeed",
	"other/lba-decathlon-ads-fr.json":                          "digitalrecruiters",
	"other/lba-france-travail-cegid-fr.json":                   "talentsoft",
}

// apiFixture is one API answer to test: where it is and which kind reads it.
type apiFixture struct {
	Name string // relative to the fixture root, e.g. "remoteok/brete-remoteok.json"
	Kind string
	Path string
}

// apiSharedFixtures lists every shared API fixture; it skips when the
// shared folder is absent.
func apiSharedFixtures(t testing.TB) []apiFixture {
	t.Helper()
	root := fixtures.Dir(t)
	var out []apiFixture
	for _, kind := range apiKindDirs {
		entries, err := os.ReadDir(filepath.Join(root, kind))
		if err != nil {
			t.Fatalf("read fixture folder %s: %v", kind, err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			name := kind + "/" + e.Name()
			out = append(out, apiFixture{Name: name, Kind: kind, Path: filepath.Join(root, name)})
		}
	}
	others := make([]string, 0, len(apiOtherFixtures))
	for name := range apiOtherFixtures {
		others = append(others, name)
	}
	sort.Strings(others)
	for _, name := range others {
		out = append(out, apiFixture{Name: name, Kind: apiOtherFixtures[name], Path: filepath.Join(root, name)})
	}
	return out
}

// apiOwnFixtures lists our own small fixtures: testdata/api/<kind>[-x].json.
func apiOwnFixtures(t testing.TB) []apiFixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "api", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no own fixtures in testdata/api: %v", err)
	}
	var out []apiFixture
	for _, p := range paths {
		base := strings.TrimSuffix(filepath.Base(p), ".json")
		kind, _, _ := strings.Cut(base, "-")
		out = append(out, apiFixture{Name: "own/" + filepath.Base(p), Kind: kind, Path: p})
	}
	return out
}

// apiLoad reads a fixture as a Document; VCR cassettes (.yml) give the
// recorded response body.
func apiLoad(t testing.TB, f apiFixture) Document {
	t.Helper()
	b, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatalf("read %s: %v", f.Name, err)
	}
	if strings.HasSuffix(f.Name, ".yml") || strings.HasSuffix(f.Name, ".yaml") {
		b, err = apiVCRBody(b)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return Document{URL: "file:///" + f.Name, ContentType: "application/json", Body: b}
}

// apiVCRBody extracts response.body.string from a VCR cassette: a YAML
// single-quoted scalar, folded over lines. Enough YAML for cassettes, no
// YAML dependency.
func apiVCRBody(cassette []byte) ([]byte, error) {
	s := string(cassette)
	i := strings.Index(s, "\n  response:")
	if i < 0 {
		return nil, apiVCRError("no response")
	}
	s = s[i:]
	i = strings.Index(s, "\n    body:")
	if i < 0 {
		return nil, apiVCRError("no response body")
	}
	s = s[i:]
	i = strings.Index(s, "string: ")
	if i < 0 {
		return nil, apiVCRError("no body string")
	}
	s = strings.TrimPrefix(s[i+len("string: "):], "! ")
	if !strings.HasPrefix(s, "'") {
		return nil, apiVCRError("body string is not single-quoted")
	}
	s = s[1:]
	var raw strings.Builder
	for {
		j := strings.IndexByte(s, '\'')
		if j < 0 {
			return nil, apiVCRError("unterminated body string")
		}
		raw.WriteString(s[:j])
		if strings.HasPrefix(s[j:], "''") {
			raw.WriteByte('\'')
			s = s[j+2:]
			continue
		}
		break
	}
	// Folding: a line break between text becomes a space, each empty line a
	// newline; indentation of continuation lines is dropped.
	lines := strings.Split(raw.String(), "\n")
	var out strings.Builder
	for k, line := range lines {
		if k > 0 {
			line = strings.TrimLeft(line, " \t")
		}
		if k < len(lines)-1 {
			line = strings.TrimRight(line, " \t")
		}
		switch {
		case k == 0:
		case line == "":
			out.WriteByte('\n')
			continue
		case !strings.HasSuffix(out.String(), "\n"):
			out.WriteByte(' ')
		}
		out.WriteString(line)
	}
	return []byte(out.String()), nil
}

type apiVCRError string

func (e apiVCRError) Error() string { return "VCR cassette: " + string(e) }

// apiGolden is what a golden file holds.
type apiGolden struct {
	Kind   string
	Result ParseResult
}

func TestAPIGolden(t *testing.T) {
	for _, f := range apiSharedFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			format, ok := FormatByName(f.Kind)
			if !ok {
				t.Fatalf("no format %q", f.Kind)
			}
			res, err := format.Parse(apiLoad(t, f))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, err := json.MarshalIndent(apiGolden{Kind: f.Kind, Result: res}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			base := filepath.Base(f.Name)
			golden := filepath.Join("testdata", "golden", "api", f.Kind, strings.TrimSuffix(base, filepath.Ext(base))+".json")
			if *updateAPIGolden {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update-api to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update-api and review the diff):\n%s", golden, apiFirstDiff(string(want), string(got)))
			}
		})
	}
}

// apiFirstDiff shows the first differing line of two texts.
func apiFirstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + wl + "\ngot:  " + gl
		}
	}
	return "(equal)"
}
