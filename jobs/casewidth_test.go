package jobs

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/passerelle/passerelle/internal/golit"
)

// widthChangers are letters whose lower or upper case is encoded on another
// number of bytes, and an invalid byte (strings.ToLower turns it into the
// 3-byte U+FFFD): text made of them catches code that finds a position in
// case-folded text and cuts the original with it.
var widthChangers = []string{"Ⱥ", "Ⱦ", "İ", "ı", "ſ", "K", "Å", "Ω", "ẞ", "ⱥ", "ɐ", "ᲀ", "\xff"}

// widen rewrites s with width-changing letters: after each, before each, in
// place of its ASCII letters that have such a twin (K → Kelvin sign, S → long
// s, I → dotted I).
func widen(s string) []string {
	twin := strings.NewReplacer("K", "K", "k", "K", "s", "ſ", "i", "ı", "I", "İ", "A", "Å")
	out := []string{twin.Replace(s)}
	for _, w := range widthChangers {
		out = append(out, strings.Repeat(w, 5)+s, s+strings.Repeat(w, 5), w+strings.ReplaceAll(s, " ", " "+w))
	}
	return out
}

// TestWidthChangingCaseNeverPanics runs every reader of jobs on every
// string literal of its tests, rewritten with width-changing letters
// (issue: "ȺȺȺȺȺUTC0" as a remote-location requirement stopped the crawler
// in a loop).
func TestWidthChangingCaseNeverPanics(t *testing.T) {
	lits, err := golit.Strings("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	// Under the race detector (or -short) each literal gets a sixth of
	// its rewritings, a different sixth from one literal to the next, so
	// every rewriting still runs on many literals: the whole product of
	// literals and rewritings takes about 2 minutes alone, 15 under -race.
	keep := 1
	if raceEnabled || testing.Short() {
		keep = 6
	}
	seen := map[string]bool{}
	n := 0
	for i, lit := range lits {
		if len(lit) > 400 || seen[lit] {
			continue
		}
		seen[lit] = true
		for j, s := range widen(lit) {
			if (i+j)%keep != 0 {
				continue
			}
			n++
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("panic on %q: %v", s, r)
					}
				}()
				ParseEligibility(s)
				ParseLocation(s)
				ParseSalary(s)
				ParseDate(s)
				PlaceKeys(s)
				requiredYears(s, true)
				requiredLanguages(s)
				HTMLToText(s)
				_, _ = Normalizer{Skills: fakeSkills{}, Now: fixedNow}.Normalize(Posting{
					Source: "case", Title: s, Company: s, Description: s, URL: "https://e.com/x",
					LocationTexts: []string{s}, EligibilityTexts: []string{s}, TimezoneTexts: []string{s},
					EmploymentTexts: []string{s}, SeniorityTexts: []string{s}, WorkplaceTexts: []string{s},
					SalaryText: s, Languages: []string{s}, PostedAt: s, ValidThrough: s,
				})
			}()
		}
	}
	if n < 1000 {
		t.Fatalf("only %d inputs: the corpus of test literals was not read", n)
	}
}

func TestLowerSameOffsets(t *testing.T) {
	for _, s := range []string{"", "abc", "ABC Ȿ", "ȺȺȺȺȺUTC0", "İstanbul", "K\xffZ", "Ωmega ÉTÉ", "ẞ"} {
		l := lowerSameOffsets(s)
		if len(l) != len(s) {
			t.Fatalf("lowerSameOffsets(%q) = %q: length %d, want %d", s, l, len(l), len(s))
		}
		for i := range len(s) {
			if utf8.RuneStart(s[i]) != utf8.RuneStart(l[i]) {
				t.Errorf("lowerSameOffsets(%q) = %q: byte %d starts a rune in one and not the other", s, l, i)
			}
		}
	}
	if got := lowerSameOffsets("UTC+1 À Paris"); got != "utc+1 à paris" {
		t.Errorf("lower-case = %q", got)
	}
	// Every letter whose lower case has its own width is lowered.
	for r := rune(0); r < 0x3000; r++ {
		l := unicode.ToLower(r)
		if l != r && utf8.ValidRune(r) && utf8.RuneLen(l) == utf8.RuneLen(r) && lowerSameOffsets(string(r)) != string(l) {
			t.Fatalf("%U not lowered", r)
		}
	}
}
