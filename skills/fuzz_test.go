package skills

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzExtract(f *testing.F) {
	// Seeds are paragraphs of the test ads: whole ads make each execution
	// (and the fuzzer's minimization) slow without adding coverage.
	for _, name := range []string{"testdata/ad-en.txt", "testdata/ad-fr.txt"} {
		for _, p := range strings.Split(readTestdata(f, name), "\n\n") {
			f.Add(p)
		}
	}
	for _, s := range []string{"", "R, Python", "C-level", "Node.js .NET C++ C#", ".", "..net", "a.b.c.d", "x++#", "&&&",
		"Nice to have:\n- Docker", "وبايثون", "e\u0301cole", "\xff\xfe", "Go 16 Go", "ML 5 ML", "tableau de bord",
		"Big Data (Hadoop; Spark", "Python (x) [SQL] (", "ETL ([Talend])"} {
		f.Add(s)
	}
	tx := Default()
	f.Fuzz(func(t *testing.T, text string) {
		ms := tx.Mentions(text)
		prevEnd := 0
		for _, m := range ms {
			if m.Start < prevEnd || m.Start >= m.End || m.End > len(text) {
				t.Fatalf("mention %+v out of bounds or overlapping (len %d, previous end %d)", m, len(text), prevEnd)
			}
			if _, ok := tx.Concept(m.ID); !ok {
				t.Fatalf("mention of unknown id %q", m.ID)
			}
			if utf8.ValidString(text) && !utf8.ValidString(text[m.Start:m.End]) {
				t.Fatalf("mention %+v splits a rune", m)
			}
			prevEnd = m.End
		}
		req, opt := tx.Extract(text)
		seen := map[string]bool{}
		for _, id := range append(req, opt...) {
			if seen[id] {
				t.Fatalf("id %q returned twice", id)
			}
			seen[id] = true
		}
		if len(text) < 200 {
			_, _ = tx.Lookup(text)
			tx.MapLabels(strings.Split(text, ","))
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add(embedded[:min(len(embedded), 4000)])
	f.Add("[x]\nkind: tool\nen: ?=X\nsyn: a | =B | ~c\nnot: # * | * y\navoid: z\n[y]\nkind: tool\nen: Y\nbroader: x\n")
	f.Add("[x]\nkind: tool\nen: X\nbroader: x\n")
	f.Add("[a]\n[b]\nkind:\n")
	f.Fuzz(func(t *testing.T, in string) {
		tx, err := Parse(strings.NewReader(in))
		if err != nil {
			if tx != nil {
				t.Fatal("Parse returned a taxonomy with an error")
			}
			return
		}
		for _, id := range tx.IDs() {
			c, ok := tx.Concept(id)
			if !ok {
				t.Fatalf("Concept(%q) missing", id)
			}
			for _, l := range append(tx.Broader(id), c.Related...) {
				if _, ok := tx.Concept(l); !ok {
					t.Fatalf("%q links to unknown %q", id, l)
				}
			}
		}
		for _, m := range tx.Mentions(in) {
			if m.Start < 0 || m.End > len(in) || m.Start >= m.End {
				t.Fatalf("mention %+v out of bounds", m)
			}
		}
	})
}
