package profiles

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Facet names: what Result.Facets counts when Query.Facets is set.
const (
	FacetSkill     = "skill"     // taxonomy ids
	FacetCity      = "city"      // folded city keys
	FacetCohort    = "cohort"    // folded cohort keys
	FacetYear      = "year"      // graduation years
	FacetLanguage  = "language"  // folded language codes
	FacetWorkplace = "workplace" // workplace sought: remote, hybrid, onsite
)

// FacetNames lists every facet in display order.
var FacetNames = []string{FacetSkill, FacetCity, FacetCohort, FacetYear, FacetLanguage, FacetWorkplace}

// FacetSize is how many values each facet returns, most frequent first.
const FacetSize = 20

// FacetCount is one value of a facet and how many matching profiles have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// topFacet sorts counts (most frequent first, then by value) and keeps
// FacetSize; for skills it keeps taxonomy ids only, without their prefix.
func topFacet(name string, counts map[string]int) []FacetCount {
	var out []FacetCount
	for v, n := range counts {
		if name == FacetSkill {
			id, ok := strings.CutPrefix(v, skillIDPrefix)
			if !ok {
				continue
			}
			v = id
		}
		if v != "" && n > 0 {
			out = append(out, FacetCount{Value: v, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	if len(out) > FacetSize {
		out = out[:FacetSize]
	}
	return out
}

func yearKey(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}
