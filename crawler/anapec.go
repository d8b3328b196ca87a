package crawler

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// ANAPEC (Morocco's national employment agency): the JSON listing its
// portal reads, https://www.anapec.org/sigec-app-rv/chercheurs/
// resultat_recherche_json/page:{n}/tout:all/language:fr. An object whose
// "Offre" array holds id, ref_offre, date_offre, intitule_poste,
// entreprise ("-" when not named) and lieu_travail; "paginate" says where
// the next page is (a URL, or only that there is one). Each offer's page
// is /sigec-app-rv/fr/entreprises/bloc_offre_home/{id}/display on the same
// host. Shapes from other projects' readers of the endpoint; our fixture
// (testdata/api/anapec.json) is written by us.

func anapecFormat() Format {
	return Format{Name: "anapec", Detect: detectANAPEC, Parse: parseANAPEC}
}

func detectANAPEC(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	first := apiFirstIn(t.obj, "Offre")
	return first != nil && apiHasAny(first, "intitule_poste", "lieu_travail", "ref_offre")
}

type anapecOffer struct {
	ID         apiStr `json:"id"`
	Ref        apiStr `json:"ref_offre"`
	Date       apiStr `json:"date_offre"`
	Title      apiStr `json:"intitule_poste"`
	Company    apiStr `json:"entreprise"`
	Place      apiStr `json:"lieu_travail"`
	Contract   apiStr `json:"type_contrat"`
	Sector     apiStr `json:"secteur_activite"`
	Experience apiStr `json:"experience"`
}

// anapecPageRE finds the page number in an ANAPEC listing URL.
var anapecPageRE = regexp.MustCompile(`page:(\d{1,6})`)

func parseANAPEC(doc Document) (ParseResult, error) {
	var env struct {
		Offers   []json.RawMessage          `json:"Offre"`
		Paginate map[string]json.RawMessage `json:"paginate"`
	}
	if err := apiUnmarshal(doc, "anapec", &env); err != nil {
		return ParseResult{}, err
	}
	base, _ := url.Parse(doc.URL)
	var res ParseResult
	for i, raw := range env.Offers {
		if len(res.Postings) >= stMaxPostings {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("more than %d postings: the rest was not read", stMaxPostings)})
			break
		}
		var o anapecOffer
		if reason := apiDecodeItem(raw, &o); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		id := o.ID.raw()
		if id == "" {
			id = o.Ref.raw()
		}
		p := jobs.Posting{
			Source:          apiSource(doc, "anapec"),
			SourceID:        id,
			Title:           o.Title.text(),
			PostedAt:        o.Date.raw(),
			EmploymentTexts: apiTexts(string(o.Contract)),
			SeniorityTexts:  apiTexts(string(o.Experience)),
			Tags:            apiTexts(string(o.Sector)),
		}
		if co := o.Company.text(); strings.Trim(co, "- ") != "" {
			p.Company = co
		}
		if id != "" && base != nil && (base.Scheme == "http" || base.Scheme == "https") {
			p.URL = base.Scheme + "://" + base.Host + "/sigec-app-rv/fr/entreprises/bloc_offre_home/" + url.PathEscape(id) + "/display"
		}
		if place := o.Place.text(); place != "" {
			// ANAPEC places offers in Moroccan towns by name; one the
			// gazetteer does not know is still in Morocco unless it names
			// a country (international placements do).
			if _, known := jobs.ParseLocation(place); known {
				p.LocationTexts = []string{place}
			} else {
				p.LocationTexts = []string{place + ", Maroc"}
			}
		}
		apiRaw(&p, "ref_offre", o.Ref.raw())
		apiAdd(&res, i, p)
	}
	if len(env.Offers) > 0 {
		res.Next = anapecNext(doc.URL, env.Paginate)
	}
	return res, nil
}

// anapecNext is the next page: paginate.next when it is a link, the
// current URL's page:N plus one when it only says there is one.
func anapecNext(cur string, pg map[string]json.RawMessage) string {
	raw, ok := pg["next"]
	if !ok {
		return ""
	}
	var s apiStr
	if err := json.Unmarshal(raw, &s); err != nil {
		return ""
	}
	v := strings.TrimSpace(string(s))
	switch strings.ToLower(v) {
	case "", "false", "0", "null":
		return ""
	case "true", "1":
		m := anapecPageRE.FindStringSubmatchIndex(cur)
		if m == nil {
			return ""
		}
		n, err := strconv.Atoi(cur[m[2]:m[3]])
		if err != nil {
			return ""
		}
		return cur[:m[2]] + strconv.Itoa(n+1) + cur[m[3]:]
	}
	if _, err := strconv.Atoi(v); err == nil { // a page number
		m := anapecPageRE.FindStringSubmatchIndex(cur)
		if m == nil {
			return ""
		}
		return cur[:m[2]] + v + cur[m[3]:]
	}
	b, err := url.Parse(cur)
	if err != nil {
		return ""
	}
	n, err := b.Parse(v)
	if err != nil {
		return ""
	}
	return n.String()
}
