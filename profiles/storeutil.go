package profiles

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/passerelle/passerelle/skills"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Helpers shared by the Bleve and Meilisearch stores so that both apply the
// same normalization and therefore the same Query semantics.

// Search paging limits from the Query contract.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// maxOffset caps Query.Offset so offset+limit cannot overflow; no index
// holds that many profiles, so the page is empty either way.
const maxOffset = 1 << 30

// AvailabilityImmediate is the Availability value for "can start now".
const AvailabilityImmediate = "immediate"

// dateLayout is the layout of availability dates.
const dateLayout = "2006-01-02"

// foldKey returns the comparison key of a label: accents removed, lower
// case, dashes and underscores read as spaces, runs of spaces collapsed.
// Quotes and backslashes become spaces so that keys never need escaping in
// a filter expression. "Fès" and "FES" give "fes"; "Scikit-Learn" and
// "scikit learn" give "scikit learn".
func foldKey(s string) string {
	if k, ok := foldASCII(s); ok {
		return k
	}
	return foldUnicode(s)
}

// foldUnicode is foldKey for any label.
func foldUnicode(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		// transform only fails on invalid state; fall back to the input.
		folded = s
	}
	folded = strings.ToLower(folded)
	folded = strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\\' || r == '-' || r == '_' || unicode.Is(unicode.Pd, r):
			return ' '
		case r == '\u2019' || r == '\u2018':
			return '\''
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			return ' '
		}
		return r
	}, folded)
	return strings.Join(strings.Fields(folded), " ")
}

// foldASCII is foldKey for a label of ASCII characters only (no accents to
// remove: normalization leaves it as it is), without foldKey's
// allocations; ok is false for any other label.
func foldASCII(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	space := true // drop leading spaces and runs of spaces
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return "", false
		case c <= ' ' || c == 0x7f || c == '"' || c == '\\' || c == '-' || c == '_':
			if !space {
				b = append(b, ' ')
				space = true
			}
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
		space = false
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b), true
}

// foldKeys folds each label, dropping empty keys and duplicates; the result
// is sorted.
func foldKeys(labels []string) []string {
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		if k := foldKey(l); k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// InCohorts reports whether cohort is one of scope, compared as searches
// compare cohorts (case, accents and dashes aside). An empty scope admits
// every cohort; a blank cohort is in no non-empty scope.
func InCohorts(cohort string, scope []string) bool {
	if len(scope) == 0 {
		return true
	}
	k := foldKey(cohort)
	if k == "" {
		return false
	}
	for _, c := range scope {
		if foldKey(c) == k {
			return true
		}
	}
	return false
}

// dayNumber is the number of days since 1970-01-01 of the civil date of t
// in t's own location.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// availableDay maps a normalized availability to a day number: 0 for
// "immediate" (any past date is equivalent), the date's day otherwise.
// ok is false for an empty or unreadable availability.
func availableDay(a string) (day int64, ok bool) {
	if a == AvailabilityImmediate {
		return 0, true
	}
	t, err := time.Parse(dateLayout, a)
	if err != nil {
		return 0, false
	}
	return dayNumber(t), true
}

// normalizeAvailability trims and lower-cases an availability value.
func normalizeAvailability(a string) string {
	return strings.ToLower(strings.TrimSpace(a))
}

// checkProfile normalizes p in place and validates it, including the
// availability format that Validate does not check.
func checkProfile(p *Profile) error {
	p.Normalize()
	p.Availability = normalizeAvailability(p.Availability)
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Availability != "" {
		if _, ok := availableDay(p.Availability); !ok {
			return fmt.Errorf("%w: availability: must be %q or a date YYYY-MM-DD", ErrInvalid, AvailabilityImmediate)
		}
	}
	return nil
}

// prepare returns a normalized, validated copy of p that shares no slice
// with the caller's value, with UpdatedAt set to now when zero.
func prepare(p Profile, now time.Time) (Profile, error) {
	p.Skills = slices.Clone(p.Skills)
	p.Languages = slices.Clone(p.Languages)
	p.Seeking.Seniority = slices.Clone(p.Seeking.Seniority)
	p.Seeking.Employment = slices.Clone(p.Seeking.Employment)
	p.Seeking.Workplace = slices.Clone(p.Seeking.Workplace)
	p.Seeking.Locations = slices.Clone(p.Seeking.Locations)
	if err := checkProfile(&p); err != nil {
		return Profile{}, err
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = now.UTC()
	}
	return p, nil
}

// prepareAll prepares every profile, failing on the first invalid one so a
// Put stores all or nothing. Later duplicates of an id replace earlier ones.
func prepareAll(ps []Profile, now time.Time) ([]Profile, error) {
	out := make([]Profile, 0, len(ps))
	pos := make(map[string]int, len(ps))
	for i, p := range ps {
		q, err := prepare(p, now)
		if err != nil {
			return nil, fmt.Errorf("profiles: put profile %d (id %q): %w", i, p.ID, err)
		}
		if j, dup := pos[q.ID]; dup {
			out[j] = q
			continue
		}
		pos[q.ID] = len(out)
		out = append(out, q)
	}
	return out, nil
}

// searchParams is a Query after normalization: what both stores filter on.
type searchParams struct {
	text   string
	skills []string // folded keys
	// skillGroups: each group is any-of (folded keys or "id:" keys), all
	// groups required.
	skillGroups [][]string
	city        string // folded key
	country     string // upper case
	year        int
	yearFrom    int
	yearTo      int
	cohort      string   // folded key
	workplace   []string // any of
	recruiters  bool
	facets      bool
	// cohorts is the asker's scope (folded keys); empty = every cohort.
	cohorts   []string
	seniority []string
	sort      string
	languages []string // folded keys
	// availBy is the last acceptable start day when hasAvail is set.
	availBy    int64
	hasAvail   bool
	searchable bool
	limit      int
	offset     int
}

// params normalizes q. today is the current time, for "immediate".
func params(q Query, today time.Time) (searchParams, error) {
	sp := searchParams{
		text:        strings.TrimSpace(q.Text),
		skills:      foldKeys(q.Skills),
		skillGroups: skillGroupKeys(q.SkillGroups),
		city:        foldKey(q.City),
		country:     strings.ToUpper(strings.TrimSpace(q.Country)),
		year:        q.GraduationYear,
		yearFrom:    q.YearFrom,
		yearTo:      q.YearTo,
		cohort:      foldKey(q.Cohort),
		cohorts:     foldKeys(q.Cohorts),
		workplace:   foldKeys(q.Workplace),
		recruiters:  q.Recruiters,
		facets:      q.Facets,
		seniority:   foldKeys(q.Seniority),
		sort:        q.Sort,
		languages:   foldKeys(q.Languages),
		searchable:  q.OnlySearchable,
		limit:       q.Limit,
		offset:      min(max(q.Offset, 0), maxOffset),
	}
	if len(q.Cohorts) > 0 && len(sp.cohorts) == 0 {
		// A scope of blank names must not become no scope at all.
		return searchParams{}, fmt.Errorf("%w: query cohorts: the scope names no cohort", ErrInvalid)
	}
	switch sp.sort {
	case "", "relevance":
		sp.sort = ""
	case SortYear, SortAvailability, SortUpdated:
	default:
		return searchParams{}, fmt.Errorf("%w: query sort %q: use %s, %s or %s", ErrInvalid, q.Sort, SortYear, SortAvailability, SortUpdated)
	}
	if sp.limit <= 0 {
		sp.limit = DefaultLimit
	}
	sp.limit = min(sp.limit, MaxLimit)
	if a := normalizeAvailability(q.Availability); a != "" {
		if a == AvailabilityImmediate {
			sp.availBy = dayNumber(today)
		} else {
			d, ok := availableDay(a)
			if !ok {
				return searchParams{}, fmt.Errorf("%w: query availability %q: must be %q or a date YYYY-MM-DD", ErrInvalid, q.Availability, AvailabilityImmediate)
			}
			sp.availBy = d
		}
		sp.hasAvail = true
	}
	return sp, nil
}

// nowFunc returns f, or time.Now when f is nil.
func nowFunc(f func() time.Time) func() time.Time {
	if f == nil {
		return time.Now
	}
	return f
}

// EachResult calls fn with every profile matching q, page after page
// (MaxLimit at a time, q.Limit and q.Offset ignored), so that exports are
// never cut at one page. Profiles written meanwhile may be skipped or seen
// twice; fn's error stops it.
func EachResult(ctx context.Context, s Store, q Query, fn func(Profile) error) error {
	q.Limit, q.Offset = MaxLimit, 0
	for {
		res, err := s.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, p := range res.Profiles {
			if err := fn(p); err != nil {
				return err
			}
		}
		q.Offset += len(res.Profiles)
		if len(res.Profiles) < q.Limit || q.Offset >= res.Total {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// skillIDPrefix marks the taxonomy-id keys of a profile's skills, beside
// the folded labels: "id:machine-learning".
const skillIDPrefix = "id:"

// skillKeys are the keys a profile's skills are found by: each label
// folded, and the taxonomy id of each label the embedded taxonomy knows
// (so "Apprentissage automatique" and "التعلم الآلي" are both found as
// id:machine-learning).
func skillKeys(labels []string) []string {
	keys := foldKeys(labels)
	tax := skills.Default()
	for _, l := range labels {
		if id, ok := tax.Lookup(l); ok {
			k := skillIDPrefix + id
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// skillGroupKeys folds each group's values; values already in "id:" form
// are kept as they are.
func skillGroupKeys(groups [][]string) [][]string {
	var out [][]string
	for _, g := range groups {
		var keys []string
		for _, v := range g {
			k := v
			if !strings.HasPrefix(v, skillIDPrefix) {
				k = foldKey(v)
			}
			if k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 {
			out = append(out, keys)
		}
	}
	return out
}

// ExpandSkills turns skills typed by an officer, in any language, into
// Query.SkillGroups: for each, the label itself, its concept's id and, unless
// exact, the ids of every narrower concept (deep learning when machine
// learning is asked). With any, the groups are merged into one: profiles
// with at least one of the skills.
func ExpandSkills(labels []string, exact, any bool) [][]string {
	tax := skills.Default()
	narrower := map[string][]string{}
	if !exact {
		for _, id := range tax.IDs() {
			c, _ := tax.Concept(id)
			for _, b := range c.Broader {
				narrower[b] = append(narrower[b], id)
			}
		}
	}
	var groups [][]string
	for _, l := range labels {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		g := []string{l}
		if id, ok := tax.Lookup(l); ok {
			seen := map[string]bool{}
			stack := []string{id}
			for len(stack) > 0 && len(seen) < 200 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if seen[x] {
					continue
				}
				seen[x] = true
				g = append(g, skillIDPrefix+x)
				stack = append(stack, narrower[x]...)
			}
		}
		groups = append(groups, g)
	}
	if any && len(groups) > 1 {
		var all []string
		for _, g := range groups {
			all = append(all, g...)
		}
		groups = [][]string{all}
	}
	return groups
}

// eachKeywordFilter calls term (the field holds value), anyOf (it holds
// one of values; none given: no filter) and flag (a true boolean field)
// for every filter of sp on a keyword or boolean field, so that the Bleve
// query and the fast path of the embedded index read one list; the
// numeric filters (year, availability) are each path's own.
func (sp searchParams) eachKeywordFilter(term func(field, value string), anyOf func(field string, values []string), flag func(field string)) {
	for _, k := range sp.skills {
		term(fieldSkill, k)
	}
	for _, g := range sp.skillGroups {
		anyOf(fieldSkill, g)
	}
	if sp.city != "" {
		term(fieldCity, sp.city)
	}
	if sp.country != "" {
		term(fieldCountry, sp.country)
	}
	for _, k := range sp.languages {
		term(fieldLanguage, k)
	}
	if sp.searchable {
		flag(fieldSearchable)
	}
	if sp.recruiters {
		flag(fieldRecruiters)
	}
	if sp.cohort != "" {
		term(fieldCohort, sp.cohort)
	}
	anyOf(fieldCohort, sp.cohorts)
	anyOf(fieldWorkplace, sp.workplace)
	anyOf(fieldSeniority, sp.seniority)
}
