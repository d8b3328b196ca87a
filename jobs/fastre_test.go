package jobs

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/internal/golit"
)

// The speed-ups of normalization (fastre.go and the text helpers) must not
// change a result: these tests compare each with the plain implementation
// it replaces, on the texts of every test of this package, on texts cut
// from the shared fixtures and on edge cases, and FuzzFastPaths keeps
// comparing on generated text.

// allFastRes lists every fastRe of the package.
func allFastRes() map[string]*fastRe {
	m := map[string]*fastRe{
		"requirement": requirementRe, "openToLiving": openToLivingRe, "anywhere": anywhereRe, "anywhereWorld": anywhereWorldRe,
		"anywherePlace": anywherePlaceRe, "tzPhrase": tzPhraseRe, "hybrid": hybridRe, "remote": remoteRe,
		"remoteWord": remoteWordRe, "noRemote": noRemoteRe, "onsite": onsiteRe, "apprentissage": apprentissageRe,
		"employmentInProse": employmentInProse, "stageInFrench": stageInFrenchRe, "cdi": cdiRe,
		"contractWords": contractWordsRe, "internshipWords": internshipWordsRe, "leadWords": leadWordsRe,
		"seniorWords": seniorWordsRe, "yearsReq": yearsReqRe, "juniorInProse": juniorInProseRe,
		"citizen": citizenRe, "citizenship": citizenshipRe,
		"partShare": partShareRe, "weeklyHours": weeklyHoursRe, "residentNoun": residentNounRe, "greenCard": greenCardRe,
		"weekPart": weekPartRe, "officePlace": officePlaceRe, "homeWork": homeWorkRe,
		"temporaryRemote": temporaryRemoteRe, "officeEveryDay": officeEveryDayRe,
		"officeRequired": officeRequiredRe, "relocation": relocationRe, "remoteTrade": remoteTradeRe,
		"plainContract": plainContractRe, "permanentContract": permanentContractRe, "pastInternship": pastInternshipRe, "internshipAsset": internshipAssetRe, "otherNoRemote": otherNoRemoteRe, "otherHybrid": otherHybridRe, "otherRemote": otherRemoteRe, "otherOnsite": otherOnsiteRe, "contractorHours": contractorHoursRe, "workAuthFr": workAuthFrRe, "workAuthEn": workAuthEnRe, "onsitePlace": onsitePlaceRe, "officeWeek": officeWeekRe, "remoteHome": remoteHomeRe, "juniorMore": juniorMoreRe, "darijaJunior": darijaJuniorRe, "juniorMoreAr": juniorMoreArRe,
		"juniorIC": juniorICRe, "levelLine": levelLineRe, "roleLevel": roleLevelRe, "workLocation": workLocationRe,
		"placeBound": placeBoundRe, "placeBoundNot": placeBoundNotRe, "icManager": icManagerRe, "leadTrade": leadTradeRe,
		// the one-pass scans of descriptions
		"workplaceProse": workplaceProse.all, "seniorityProse": seniorityProse.all, "juniorTitle": juniorTitle.all,
		"splitAny": splitAny.all, "worldwideProse": worldwideProseRe,
		"remoteScope": remoteScopeRe, "onlyPlaces": onlyPlacesRe, "morePlaces": morePlacesRe, "hqRemote": hqRemoteRe, "worldwideBacked": worldwideBackedRe, "also": alsoRe, "arabicPlace": arabicPlaceRe, "exclusion": exclusionRe,
	}
	for i, w := range employmentWords {
		m["employment"+strconv.Itoa(i)] = w.re
	}
	for i, w := range employmentProse {
		m["employmentProse"+strconv.Itoa(i)] = w.re
	}
	for i, g := range employmentProseAll {
		m["employmentProseAll"+strconv.Itoa(i)] = g.all
	}
	for i, w := range weakLevelWords {
		m["weakLevel"+strconv.Itoa(i)] = w.re
	}
	for i, p := range periodPatterns {
		m["period-"+p.period+strconv.Itoa(i)] = p.re // one key each: several patterns share a period
	}
	// added by the blind24 round
	for k, re := range map[string]*fastRe{"seniorServed": seniorServedRe, "noReports": noReportsRe, "yearsLabel": yearsLabelRe,
		"candidateLevel": candidateLevelRe, "partTimeWords": partTimeWordsRe, "missionTerm": missionTermRe, "fieldBased": fieldBasedRe, "fieldTravel": fieldTravelRe, "arabicTeamLead": arabicTeamLeadRe} {
		m[k] = re
	}
	return m
}

// edgeTexts are made to trip the prefix scan: case, runs of white space,
// ſ and the Kelvin sign (which fold to ASCII letters), invalid UTF-8,
// combining marks, matches at the very start and end, word boundaries
// against letters, digits and non-ASCII text.
var edgeTexts = []string{
	"", " ", "a", "MUST BE BASED IN France", "must  \t\n be \r\n\n based\tin the US", "xmust be based in Spain",
	"Must be baſed in Europe", "Remote, worK from home", "\u212aein Homeoffice", "ſtage de fin d'études",
	"3\u00a0ans d'expérience", "5 +  years", "5\n\n\n\n\n\n\nyears of experience", "at\u00a0least 3 years",
	"\xff\xfe must be located in\xffGermany", "é5 years", "é must reside in Italy", "_5 years", "a5 years",
	"100 %  remote", "100%remote", "TÉLÉTRAVAIL partiel", "te\u0301le\u0301travail complet", "Télé-travail",
	"CDI", "cdi", "xCDI", "CDIx", "(CDI)", "Stage", "stage", "early-stage", "un stage de 6 mois",
	"Open to candidates in: USA", "UTC−5 to UTC+2", "utc+1", "GMT +/- 2", "EMEA  time zones",
	"hybrid" + strings.Repeat(" ", 300) + "remote", strings.Repeat("must ", 200) + "be based in Peru",
	"anywhere in the world", "from anywhere in Morocco", "n'importe où en France", "work from anywhere\n",
	"telecommute" + strings.Repeat("x", 500), "a distance", "\ta distance", "x a distance", "-a distance",
	"Expérience : 3-5 ans", "5 ans et plus", "2 ans minimum", "plus de 10 ans", "max. 2 yrs", "min.3 ans",
	"\u00a0must be based in\u00a0Canada", "résider en Belgique", "RÉSIDER au Maroc", "première expérience",
	"e\u0301" + strings.Repeat("\u0301", 40) + "tudiant", "Head of Data", "Sr. Engineer", "Jr developer",
}

// equivalenceTexts returns the texts the fast paths are compared on; the
// first ones (edge cases and test literals) also in capitals and in lower
// case as variants.
func equivalenceTexts(t *testing.T) (texts, variants []string) {
	t.Helper()
	texts = append([]string(nil), edgeTexts...)
	texts = append(texts, testLiterals(t)...)
	for _, s := range texts {
		variants = append(variants, strings.ToUpper(s), strings.ToLower(s))
	}
	if dir, ok := fixtures.Find(); ok {
		n := 40
		if testing.Short() {
			n = 10
		}
		texts = append(texts, fixtureChunks(t, dir, n, 1500)...)
	}
	return texts, variants
}

// testLiterals returns the string literals of this package's tests.
func testLiterals(t *testing.T) []string {
	t.Helper()
	out, err := golit.Strings("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 500 {
		t.Fatalf("only %d literals in the tests", len(out))
	}
	return out
}

// fixtureChunks cuts the shared fixtures, as text, into up to max pieces
// of size bytes.
func fixtureChunks(t *testing.T, dir string, max, size int) []string {
	t.Helper()
	var all []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := HTMLToText(string(b))
		for i := 0; i+size/4 < len(text); i += size * 4 {
			all = append(all, truncateRunes(text[i:], size))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) > max {
		step := len(all) / max
		var some []string
		for i := 0; i < len(all); i += step {
			some = append(some, all[i])
		}
		all = some
	}
	return all
}

func TestFastReUsesPrefixes(t *testing.T) {
	for name, f := range allFastRes() {
		if f.at == nil || len(f.prefixes) == 0 {
			t.Errorf("%s: no literal prefixes: every search runs the plain pattern", name)
		}
	}
	// Every fastRe of the package, named in allFastRes or not.
	if len(packageFastRes) < len(allFastRes()) {
		t.Fatalf("%d fastRes registered at init, fewer than the %d named", len(packageFastRes), len(allFastRes()))
	}
	for _, f := range packageFastRes {
		if f.at == nil || len(f.prefixes) == 0 {
			t.Errorf("fastRe %.120q: no literal prefixes: every search runs the plain pattern", f.re.String())
		}
	}
}

// packageFastRes are the fastRes compiled by the package's variables (all
// initialized before any init function runs), not by tests.
var packageFastRes []*fastRe

func init() {
	fastReMu.Lock()
	packageFastRes = slices.Clone(fastReAll)
	fastReMu.Unlock()
}

func TestFastReMatchesRegexp(t *testing.T) {
	texts, variants := equivalenceTexts(t)
	if raceEnabled || testing.Short() {
		texts, variants = sample(texts, 6), nil
	}
	for name, f := range allFastRes() {
		for _, s := range texts {
			compareFastRe(t, name, f, s)
		}
		for _, s := range variants {
			compareFastReMatches(t, name, f, s)
		}
	}
}

// sample keeps every nth text and the edge cases.
func sample(texts []string, n int) []string {
	out := texts[:len(edgeTexts):len(edgeTexts)]
	for i := len(edgeTexts); i < len(texts); i += n {
		out = append(out, texts[i])
	}
	return out
}

// compareFastReMatches compares the matches of a fastRe and its regexp.
func compareFastReMatches(t *testing.T, name string, f *fastRe, s string) {
	t.Helper()
	if got, want := f.FindAllStringSubmatchIndex(newScanText(s), -1), f.re.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("%s.FindAllStringSubmatchIndex(%q) = %v, want %v", name, s, got, want)
	}
}

// compareFastRe checks every fastRe method against the regexp one.
func compareFastRe(t *testing.T, name string, f *fastRe, s string) {
	t.Helper()
	re := f.re
	if got, want := f.MatchString(newScanText(s)), re.MatchString(s); got != want {
		t.Errorf("%s.MatchString(%q) = %v, want %v", name, s, got, want)
	}
	compareFastReMatches(t, name, f, s)
	if got, want := f.FindAllStringSubmatch(newScanText(s), 2), re.FindAllStringSubmatch(s, 2); !reflect.DeepEqual(got, want) {
		t.Errorf("%s.FindAllStringSubmatch(%q, 2) = %q, want %q", name, s, got, want)
	}
	if got, want := f.FindAllString(newScanText(s), 3), re.FindAllString(s, 3); !reflect.DeepEqual(got, want) {
		t.Errorf("%s.FindAllString(%q, 3) = %q, want %q", name, s, got, want)
	}
	if got, want := f.FindAllStringIndex(newScanText(s), 1), re.FindAllStringIndex(s, 1); !reflect.DeepEqual(got, want) {
		t.Errorf("%s.FindAllStringIndex(%q, 1) = %v, want %v", name, s, got, want)
	}
	if got, want := f.FindString(newScanText(s)), re.FindString(s); got != want {
		t.Errorf("%s.FindString(%q) = %q, want %q", name, s, got, want)
	}
	if got, want := f.ReplaceAllLiteralString(newScanText(s), "<$1>"), re.ReplaceAllLiteralString(s, "<$1>"); got != want {
		t.Errorf("%s.ReplaceAllLiteralString(%q) = %q, want %q", name, s, got, want)
	}
}

// TestFastReOnPatterns runs the prefix derivation on patterns built to
// test it (alternations, optional and repeated parts, white space runs,
// classes, assertions) rather than on the package's own.
func TestFastReOnPatterns(t *testing.T) {
	patterns := []string{
		`(?i)\bfoo\s+bar\b`, `(?i)(?:a|b)?c\s*d`, `x\s+\s*y`, `(?i)k\s*[0-9]{1,2}\s+(?:s|ſ)`, `(?:^|\s)ab`,
		`(?i)\b(\d{1,2})\s*(years?|ans?)\b`, `(?i)[ée]t[ée]`, `(?i)one(?:\s+two)*\s+three$`, `\bCDI\b`,
		`(?i)(?:must|may)\s+(?:be\s+)?(?:in|at)\s*:?\s*([^.;\n]{1,20})`, `(?i)a\w*b`, `(?i)\s*x`, `(?i)x?`,
	}
	texts := append([]string(nil), edgeTexts...)
	texts = append(texts, "FOO  bar", "foo\tbarx", "ac d", "bcd", "c   d", "x y", "x  \n y", "k 12 s", "K 5 ſ",
		"k5  S", " ab", "ab", "xab", "10 years", "3 ANS", "été", "ÉTÉ", "one two two three", "one three",
		"cdi CDI", "may be at: Paris; rest", "MUST in x", "axxxxxxb", "aſb", "  x", "x")
	for _, p := range patterns {
		f := newFastRe(p)
		for _, s := range texts {
			compareFastRe(t, p, f, s)
		}
	}
}

// Reference implementations: the code the fast paths replaced.

func stripAccentsRef(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case '’':
			r = '\''
		case '\u00a0', '\u202f':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func collapseSpaceRef(s string) string { return strings.Join(strings.Fields(s), " ") }

func tidyLinesRef(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = collapseSpaceRef(l)
		if l == "" || l == "-" {
			if len(out) > 0 {
				blank = true
			}
			continue
		}
		if blank && !strings.HasPrefix(l, "- ") {
			out = append(out, "")
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func hasLanguageWordRef(s string) bool {
	for _, tok := range languageTokens(s) {
		if tok.punct == 0 && (languageNames[tok.w] != "" || prefixedLanguage(tok.w) != "") {
			return true
		}
	}
	return false
}

// compareTextHelpers checks the text helpers against their references.
func compareTextHelpers(t *testing.T, s string) {
	t.Helper()
	if got, want := stripAccents(s), stripAccentsRef(s); got != want {
		t.Errorf("stripAccents(%q) = %q, want %q", s, got, want)
	}
	if got, want := fold(s), foldSlow(s); got != want {
		t.Errorf("fold(%q) = %q, want %q", s, got, want)
	}
	if got, want := collapseSpace(s), collapseSpaceRef(s); got != want {
		t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
	}
	if got, want := tidyLines(s), tidyLinesRef(s); got != want {
		t.Errorf("tidyLines(%q) = %q, want %q", s, got, want)
	}
	if got, want := lowerQuotes(s), strings.ReplaceAll(strings.ToLower(s), "’", "'"); got != want {
		t.Errorf("lowerQuotes(%q) = %q, want %q", s, got, want)
	}
	if got, want := hasLanguageWord(s), hasLanguageWordRef(s); got != want {
		t.Errorf("hasLanguageWord(%q) = %v, want %v", s, got, want)
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isTokenRune(r) }) {
		if got, want := foldToken(w), fold(w); got != want {
			t.Errorf("foldToken(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestTextHelpersMatchReference(t *testing.T) {
	texts, variants := equivalenceTexts(t)
	texts = append(texts, variants...)
	// Every rune of the tables, alone and between letters, marks and
	// spaces.
	for r := rune(0x80); r < 0x2100; r++ {
		s := string(r)
		texts = append(texts, s, "a"+s+"b", s+s, s+"\u0301", "\u0323"+s, "É"+s+" \n", s+"  x\u00a0")
	}
	for _, s := range texts {
		compareTextHelpers(t, s)
	}
}

func TestMnStartsAtU0300(t *testing.T) {
	// stripAccents and foldLatin skip the Mn lookup below U+0300.
	if lo := unicode.Mn.R16[0].Lo; lo != 0x300 {
		t.Fatalf("first Mn rune U+%04X", lo)
	}
}

func FuzzFastPaths(f *testing.F) {
	for _, s := range edgeTexts {
		f.Add(s)
	}
	f.Add("Expérience : 3-5 ans. Must be based in the EU; télétravail partiel, CDI.")
	res := allFastRes()
	f.Fuzz(func(t *testing.T, s string) {
		for name, re := range res {
			compareFastRe(t, name, re, s)
		}
		compareTextHelpers(t, s)
		// A pattern of the package on the forms Normalize gives it.
		for _, form := range []string{stripAccents(s), yearsText(s)} {
			compareFastRe(t, "yearsReq", yearsReqRe, form)
			compareFastRe(t, "requirement", requirementRe, form)
		}
	})
}
