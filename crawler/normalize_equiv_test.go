package crawler_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/internal/golit"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher/eval"
	"github.com/passerelle/passerelle/skills"
)

// TestNormalizeEquivalence freezes what jobs.Normalizer makes of a large
// corpus, so that work on the speed of normalization can show it changed
// no result. The corpus: every posting the crawler parses from the shared
// fixtures and from crawler/testdata (as parsed, then reduced to title and
// description, with and without an explicit remote flag, so that every
// description path runs), the matcher's evaluation ads, and every string
// literal of jobs' own tests put in each field of a posting.
//
// It runs only when NORMALIZE_GOLDEN names a file: a missing file is
// written (the reference), an existing one is compared line by line.
//
//	NORMALIZE_GOLDEN=/tmp/norm.jsonl go test -run=TestNormalizeEquivalence ./crawler/  # before
//	NORMALIZE_GOLDEN=/tmp/norm.jsonl go test -run=TestNormalizeEquivalence ./crawler/  # after
func TestNormalizeEquivalence(t *testing.T) {
	golden := os.Getenv("NORMALIZE_GOLDEN")
	if golden == "" {
		t.Skip("NORMALIZE_GOLDEN not set: nothing to compare with")
	}
	cases := equivalenceCorpus(t)
	if len(cases) < 1000 {
		t.Fatalf("corpus too small: %d postings", len(cases))
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	n := jobs.Normalizer{Skills: skills.Default(), Now: func() time.Time { return now }}
	var out bytes.Buffer
	for _, c := range cases {
		o, err := n.Normalize(c.p)
		line := struct {
			Case  string     `json:"case"`
			Offer jobs.Offer `json:"offer"`
			Err   string     `json:"err,omitempty"`
		}{Case: c.name, Offer: o}
		if err != nil {
			line.Err = err.Error()
		}
		b, err := json.Marshal(line)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out.Write(b)
		out.WriteByte('\n')
	}
	want, err := os.ReadFile(golden)
	if os.IsNotExist(err) {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d offers to %s", len(cases), golden)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	// Compared by case name: literals added to jobs' tests later only add
	// cases, which are reported, not failed.
	exp := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(want), "\n"), "\n") {
		exp[caseName(l)] = l
	}
	diffs, compared, extra := 0, 0, 0
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		w, ok := exp[caseName(l)]
		if !ok {
			extra++
			continue
		}
		compared++
		delete(exp, caseName(l))
		if l == w {
			continue
		}
		diffs++
		if diffs <= 20 {
			t.Errorf("offer differs:\n got %s\nwant %s", l, w)
		}
	}
	if diffs > 0 {
		t.Errorf("%d of %d offers differ", diffs, compared)
	}
	if len(exp) > 0 {
		t.Errorf("%d cases of the golden file are no longer produced", len(exp))
	}
	t.Logf("%d offers compared, %d new cases not in the golden file", compared, extra)
}

// caseName reads the case of one golden line.
func caseName(line string) string {
	var c struct {
		Case string `json:"case"`
	}
	_ = json.Unmarshal([]byte(line), &c)
	return c.Case
}

type equivCase struct {
	name string
	p    jobs.Posting
}

func equivalenceCorpus(t *testing.T) []equivCase {
	t.Helper()
	var cases []equivCase
	yes := true
	add := func(name string, p jobs.Posting) { cases = append(cases, equivCase{name, p}) }

	var dirs []string
	if d, ok := fixtures.Find(); ok {
		dirs = append(dirs, d)
	} else {
		t.Log("shared fixtures absent: corpus without them")
	}
	dirs = append(dirs, "testdata")
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"expected"+string(filepath.Separator)) {
				return err
			}
			switch filepath.Ext(path) {
			case ".json", ".html", ".xml", ".rss":
			default:
				return nil
			}
			body, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			doc := crawler.Document{URL: "https://equiv.example/" + filepath.Base(path), Body: body}
			f, ok := crawler.DetectFormat(doc)
			if !ok {
				return nil
			}
			res, err := f.Parse(doc)
			if err != nil {
				return nil
			}
			for i, p := range res.Postings {
				name := fmt.Sprintf("%s#%d", path, i)
				add(name, p)
				bare := jobs.Posting{Source: p.Source, SourceID: p.SourceID, Title: p.Title, Description: p.Description, DescriptionHTML: p.DescriptionHTML}
				add(name+"/bare", bare)
				bare.Remote = &yes
				add(name+"/bare-remote", bare)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	f, err := os.Open("../matcher/testdata/eval/ads.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var a eval.Ad
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if a.Key == "" {
			continue
		}
		// The evaluation's own conversion, without the id and terms it adds,
		// so the corpus stays what earlier references were written from.
		p := a.Posting()
		p.SourceID, p.Terms = "", jobs.Terms{}
		add("eval/"+a.Key, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	for _, s := range jobsTestLiterals(t) {
		sum := sha256.Sum256([]byte(s))
		name := "jobs-literal/" + hex.EncodeToString(sum[:8])
		add(name+"/title", jobs.Posting{Title: s})
		add(name+"/desc", jobs.Posting{Title: "Data analyst", Description: s})
		add(name+"/desc-remote", jobs.Posting{Title: "Data analyst", Description: s, Remote: &yes})
		add(name+"/html-remote", jobs.Posting{Title: "Stagiaire data", DescriptionHTML: s, Remote: &yes})
		add(name+"/fields", jobs.Posting{Title: "x", SeniorityTexts: []string{s}, EmploymentTexts: []string{s}, WorkplaceTexts: []string{s},
			LocationTexts: []string{s}, SalaryText: s, PostedAt: s, Languages: []string{s}})
		add(name+"/eligibility", jobs.Posting{Title: "x", Remote: &yes, EligibilityTexts: []string{s}, TimezoneTexts: []string{s}})
		add(name+"/eligibility-only", jobs.Posting{Title: "x", Remote: &yes, EligibilityTexts: []string{s}})
		add(name+"/location", jobs.Posting{Title: "x", Remote: &yes, LocationTexts: []string{s}, Locations: []jobs.Location{{City: s}}})
	}
	return cases
}

// jobsTestLiterals returns every string literal of jobs' test files: the
// inputs of its test tables.
func jobsTestLiterals(t *testing.T) []string {
	t.Helper()
	all, err := golit.Strings("../jobs/*_test.go")
	if err != nil {
		t.Fatalf("jobs test files: %v", err)
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range all {
		if strings.TrimSpace(s) != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
