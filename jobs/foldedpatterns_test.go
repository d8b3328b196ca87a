package jobs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestArabicPatternsMatchFoldedText: the readers match most patterns on
// accent-stripped text, where أ إ آ ؤ ئ lose their hamza
// (stripAccents("دائم") is "دايم"),
// so an Arabic word written only with hamza in a pattern never matches
// there ("عقد عمل دائم", "قائد فريق", "جميع أنحاء" were dead until stop 20).
// Every such word of a pattern or word set must also be written in its
// folded form (a class like [ئي] does it).
func TestArabicPatternsMatchFoldedText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if !strings.Contains(line, "newFastRe(") && !strings.Contains(line, "MustCompile(") && !strings.Contains(line, "wordSet(") {
				continue
			}
			words := strings.FieldsFunc(line, func(r rune) bool { return !unicode.Is(unicode.Arabic, r) || r == '،' || r == '؛' })
			for _, w := range words {
				if len([]rune(w)) < 3 || !strings.ContainsAny(w, "أإآؤئ") {
					continue
				}
				checked++
				if fw := stripAccents(w); !strings.Contains(line, fw) {
					t.Errorf("%s:%d: %q is written only with hamza; add its folded form %q", f, i+1, w, fw)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no Arabic word with hamza found in any pattern: the scan is broken")
	}
}

// A board's "Worldwide" backed by Arabic text ("من جميع أنحاء العالم")
// stays worldwide; the hamza form of the phrase never matched before.
func TestWorldwideFieldBackedInArabic(t *testing.T) {
	for desc, want := range map[string]bool{
		"نرحب بالمرشحين من جميع أنحاء العالم للعمل عن بعد مع فريقنا.": true,
		"العمل عن بعد مع فريقنا في تحليل البيانات.":                   false,
	} {
		o := normalizeForTest(t, Posting{Title: "Data analyst", Description: desc, EligibilityTexts: []string{"Worldwide"}, WorkplaceTexts: []string{"Remote"}})
		if o.Eligibility.Worldwide != want {
			t.Errorf("%q: %+v, want worldwide %v", desc, o.Eligibility, want)
		}
	}
}
