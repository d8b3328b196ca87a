package crawler

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/jobs"
)

// Golden tests of the structured kinds over the shared real-world
// fixtures. Golden files live in testdata/golden/<kind>/<name>.json;
// regenerate them with `go test ./crawler -run Golden -update` and review
// the diff. Key fields are also asserted explicitly below, each checked by
// reading the fixture.

var stUpdateGolden = flag.Bool("update", false, "rewrite crawler/testdata/golden/{jsonld,microdata,feed,html} from the structured parsers' output")

// stGoldenCase is one shared fixture and how it is read.
type stGoldenCase struct {
	file     string            // under shared/fixtures
	kind     string            // Format used
	url      string            // Document.URL (base for relative links)
	opts     map[string]string // html selectors
	detect   bool              // DetectFormat must pick kind (html needs options, so it is tested with them)
	postings int
	skipped  int
	check    func(t *testing.T, res ParseResult)
}

// Selectors for the listing pages; they are the kind of options a sources
// config holds.
var (
	// The selectors shipped in the default set's (disabled) ReKrute source.
	stRekruteOpts      = defaultSourceOptions("rekrute")
	stVercelOpts       = map[string]string{"item": "a[class*=jobCard]", "title": "h3", "location": "h4"}
	stEmploitunisieOpt = map[string]string{
		"item": "div.card-job", "title": "h3 a", "url": "@data-href", "company": ".card-job-company",
		"description": ".card-job-description p", "date": "time@datetime",
		"location": "li:contains('Région') strong", "employment": "li:contains('Contrat') strong",
		"seniority": "li:contains('expérience') strong",
	}
	stKeejobOpts = map[string]string{
		"item": "article", "title": "h2 a", "url": "h2 a@href", "company": "h2 + p a",
		"description": "div.mb-3 p", "location": ".fa-map-marker-alt + span", "date": ".fa-clock + span",
		"tags": "span.rounded-full",
	}
)

func stGoldenCases() []stGoldenCase {
	one := func(title, company string) func(t *testing.T, res ParseResult) {
		return func(t *testing.T, res ParseResult) {
			t.Helper()
			p := res.Postings[0]
			stEq(t, "title", p.Title, title)
			stEq(t, "company", p.Company, company)
		}
	}
	return []stGoldenCase{
		{file: "jsonld-html/schemaorg-eg-0028-json.html", kind: "jsonld", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			stEq(t, "title", p.Title, "Software Engineer")
			stEq(t, "locations", fmt.Sprint(p.Locations), "[{Kirkland WA }]")
			stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[Full-time]")
			stEq(t, "salary", fmt.Sprint(*p.Salary), "{100000 100000 USD }")
			stEq(t, "posted", p.PostedAt, "2011-10-31")
		}},
		{file: "jsonld-html/schemaorg-eg-0251-json.html", kind: "jsonld", detect: true, postings: 1, check: one("Mobile App Developer", "ACME Software")},
		{file: "jsonld-html/schemaorg-eg-0268-json.html", kind: "jsonld", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			stEq(t, "title", res.Postings[0].Title, "Telecommute from anywhere in USA!")
			stEq(t, "eligibility", fmt.Sprint(res.Postings[0].EligibilityTexts), "[USA]")
		}},
		{file: "jsonld-html/schemaorg-eg-0280-json.html", kind: "jsonld", detect: true, postings: 1, check: one("Systems Research Engineer", "")},
		{file: "jsonld-html/schemaorg-eg-0465-json.html", kind: "jsonld", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			stEq(t, "title", res.Postings[0].Title, "Software Engineer")
			stEq(t, "seniority", fmt.Sprint(res.Postings[0].SeniorityTexts), "[60 months of experience]")
		}},
		{file: "jsonld-html/jg-remoteok-job-page.html", kind: "jsonld", url: "https://remoteok.io/remote-jobs/99859", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("Software Engineer II", "Comscore")(t, res)
			stEq(t, "remote", fmt.Sprint(p.Remote != nil && *p.Remote), "true")
			stEq(t, "posted", p.PostedAt, "2020-10-25T16:01:35-07:00")
			stEq(t, "salary", fmt.Sprint(*p.Salary), "{55000 55000 USD year}") // value "55000", unitCode "ANN"
		}},
		{file: "jsonld-html/jg-wwr-job-page.html", kind: "jsonld", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("DevOps Engineer, Kubernetes, AWS/GCP", "Bluelight Consulting")(t, res)
			stEq(t, "remote", fmt.Sprint(p.Remote != nil && *p.Remote), "true")
			stEq(t, "posted", p.PostedAt, "2020-10-20 20:28:32 UTC") // non-ISO, kept as found
			stEq(t, "source id", p.SourceID, "bluelight-consulting-devops-engineer-kubernetes-aws-gcp")
			// JSON-LD url is the company's site (same as sameAs): the
			// posting's URL is the page's canonical link instead.
			stEq(t, "url", p.URL, "https://weworkremotely.com/remote-jobs/bluelight-consulting-devops-engineer-kubernetes-aws-gcp")
			if !strings.HasPrefix(p.DescriptionHTML, "<div><strong>DESCRIPTION</strong>") {
				t.Errorf("description not unescaped once: %.60q", p.DescriptionHTML)
			}
		}},
		{file: "jsonld-html/jg-wwr-job-page-no-image.html", kind: "jsonld", detect: true, postings: 1, check: one("Devops Engineer", "Stealth Co")},
		// BROKEN page: decided to REPAIR, not skip. The JobPosting block's only
		// faults are raw newlines inside the "description" string and the
		// invalid escape \_ in "¯\_(ツ)_/¯". Both repairs are unambiguous (a
		// raw newline can only mean a newline; a backslash before a character
		// that is no JSON escape can only be a literal backslash) and every
		// other value parses as written, so the posting read is complete and
		// right. junior.guru skips it because Python's json is strict; losing
		// a real job to a syntax slip is the worse outcome for graduates.
		{file: "jsonld-html/jg-wwr-job-page-BROKEN-jsonld.html", kind: "jsonld", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			one("Solidity Engineer", "ElevenYellow Pte Ltd")(t, res)
			stEq(t, "source id", res.Postings[0].SourceID, "elevenyellow-pte-ltd-solidity-engineer")
			if !strings.Contains(res.Postings[0].DescriptionHTML, `¯\_(ツ)_/¯`) {
				t.Errorf("repaired description lost the backslash: %.200q", res.Postings[0].DescriptionHTML)
			}
		}},
		{file: "jsonld-html/jg-stackoverflow-job-page.html", kind: "jsonld", detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("Solution Engineer (M/F/X)", "QUAJOO GmbH")(t, res)
			stEq(t, "locations", fmt.Sprint(p.Locations), "[{Leipzig - DE}]")
			stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[FULL_TIME]")
		}},
		{file: "other/brightermonday-ke-jobs-listing-itemlist.html", kind: "jsonld", detect: true, postings: 16, check: func(t *testing.T, res ParseResult) {
			stEq(t, "first title", res.Postings[0].Title, "Account Manager")
			stEq(t, "first url", res.Postings[0].URL, "https://www.brightermonday.co.ke/listings/account-manager-07pj6d")
			stEq(t, "title 4", res.Postings[3].Title, "Finance and Admin Officer (FMCG) – Nanyuki")
		}},
		// Stack Overflow's ItemList has URLs only (junior.guru: 25 job links):
		// no title, so 25 Skips that name the links.
		{file: "other/jg-stackoverflow-listing-itemlist.html", kind: "jsonld", detect: true, postings: 0, skipped: 25, check: func(t *testing.T, res ParseResult) {
			if !strings.HasSuffix(res.Skipped[0].Reason, "https://stackoverflow.com/jobs/365589/big-data-developer-ultra-tendency") {
				t.Errorf("skip reason = %q", res.Skipped[0].Reason)
			}
		}},

		{file: "microdata-html/schemaorg-eg-0028-microdata.html", kind: "microdata", detect: true, postings: 1, check: one("Software Engineer", "ABC Company Inc.")},
		{file: "other/schemaorg-eg-0028-rdfa.html", kind: "microdata", detect: true, postings: 1, check: one("Software Engineer", "ABC Company Inc.")},

		{file: "rss/ikevinxie-wwr.xml", kind: "feed", detect: true, postings: 4, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			stEq(t, "title", p.Title, "Mathmo: Maths Coach")
			stEq(t, "eligibility", fmt.Sprint(p.EligibilityTexts), "[Anywhere in the World]")
			stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[Contract]")
			stEq(t, "tags", fmt.Sprint(p.Tags), "[All Other Remote]")
			stEq(t, "url", p.URL, "https://weworkremotely.com/remote-jobs/mathmo-maths-coach")
			stEq(t, "skills tag", fmt.Sprint(res.Postings[2].Tags), "[All Other Remote Cryptocurrency]")
		}},
		{file: "rss/mdm-wwr-sales-marketing.rss", kind: "feed", detect: true, postings: 3, check: func(t *testing.T, res ParseResult) {
			stEq(t, "title", res.Postings[0].Title, "Remote: Account Executive DACH")
			stEq(t, "posted", res.Postings[0].PostedAt, "Tue, 11 Aug 2026 07:30:41 +0000")
		}},
		{file: "rss/lba-pass-fonction-publique-fr.rss", kind: "feed", detect: true, postings: 7, check: func(t *testing.T, res ParseResult) {
			// <title> holds an <a> element: its text is the title
			one("Contrat d'Apprentissage - financements H/F", "Centre national du cinéma et de l'image animée")(t, res)
			stEq(t, "location", fmt.Sprint(res.Postings[0].LocationTexts), "[PARIS 14ème arrondissement]")
		}},
		{file: "rss/recruityard-rss-88items.xml", kind: "feed", detect: true, postings: 88, check: one("Client Support with Dutch - Remote", "")},
		{file: "other/recruityard-indeed-style-feed.xml", kind: "feed", detect: true, postings: 88, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("Client Support with Dutch - Remote", "Recruityard")(t, res)
			stEq(t, "remote", fmt.Sprint(p.Remote != nil && *p.Remote), "true")
			stEq(t, "salary text", p.SalaryText, "1100 - 1300")
			stEq(t, "id", p.SourceID, "CC-0506-79")
		}},
		{file: "other/jg-startupjobs-cz-feed.xml", kind: "feed", detect: true, postings: 2, check: func(t *testing.T, res ParseResult) {
			one("My hledáme stále! Přidej se k nám do týmu jako junior linux admin", "Cloudinfrastack")(t, res)
			stEq(t, "employment", fmt.Sprint(res.Postings[0].EmploymentTexts), "[Part-time Full-time]")
			stEq(t, "city", res.Postings[0].Locations[0].City, "Praha, Česko")
		}},
		{file: "other/lba-apec-feed-fr.xml", kind: "feed", detect: true, postings: 5, check: func(t *testing.T, res ParseResult) {
			one("Ingénieur d'études en génie électrique F/H", "Ikos")(t, res)
			stEq(t, "salary text", res.Postings[0].SalaryText, "A négocier")
			stEq(t, "id", res.Postings[0].SourceID, "177777865W")
			stEq(t, "location", fmt.Sprint(res.Postings[0].LocationTexts), "[ROUEN]")
		}},
		{file: "other/lba-hellowork-feed-fr.xml", kind: "feed", detect: true, postings: 5, check: func(t *testing.T, res ParseResult) {
			one("Manager en Stratégie Management et Organisation H/F", "Software Consulting")(t, res)
			stEq(t, "locations", fmt.Sprint(res.Postings[0].Locations), "[{VINCENNES ILE DE FRANCE FR}]")
		}},
		{file: "other/lba-jobteaser-feed-fr.xml", kind: "feed", detect: true, postings: 2, check: one("Alternance - webmarketing specialist - Bac+4/5 - (38 - Grenoble) - H/F", "Schneider Electric")},
		{file: "other/lba-jooble-feed-fr.xml", kind: "feed", detect: true, postings: 2, check: func(t *testing.T, res ParseResult) {
			one("Responsable de marché", "Truc France")(t, res)
			if res.Postings[0].Salary != nil {
				t.Errorf("empty <salary> read as %+v", *res.Postings[0].Salary)
			}
			stEq(t, "salary 2", fmt.Sprint(*res.Postings[1].Salary), "{33000 37000 EUR }")
		}},
		{file: "other/lba-meteojob-cleverconnect-feed-fr.xml", kind: "feed", detect: true, postings: 3, check: func(t *testing.T, res ParseResult) {
			one("VENDEUR MAGASINIER H/F", "Tralala Intérim")(t, res)
			stEq(t, "salary", fmt.Sprint(*res.Postings[0].Salary), "{11.88 0 EUR year}") // lowEnd="11.88" period="annum"
			stEq(t, "id", res.Postings[0].SourceID, "00000070")
		}},

		{file: "other/rekrute-ma-listing-fr.html", kind: "html", url: "https://www.rekrute.com/offres.html", opts: stRekruteOpts, detect: true, postings: 10, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("Assistante de Direction | Fès (Maroc)", "Société de Développement des Services Publics de distribution")(t, res)
			stEq(t, "url", p.URL, "https://www.rekrute.com/offre-emploi-assistante-de-direction-recrutement-societe-de-developpement-des-services-publics-de-distribution-fes-181766.html")
			stEq(t, "dates", p.PostedAt+" "+p.ValidThrough, "13/04/2026 13/06/2026")
			stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[CDI]")
			stEq(t, "id", p.SourceID, "181766")
		}},
		{file: "other/vercel-careers-listing-nojsonld.html", kind: "html", url: "https://vercel.com/careers", opts: stVercelOpts, detect: true, postings: 54, check: func(t *testing.T, res ParseResult) {
			stEq(t, "title", res.Postings[0].Title, "Analytics Engineer")
			stEq(t, "location", fmt.Sprint(res.Postings[0].LocationTexts), "[United States, Canada]")
			stEq(t, "url", res.Postings[0].URL, "https://vercel.com/careers/analytics-engineer-amer-4486497004")
		}},
		{file: "other/nacef-emploitunisie-tn-listing-fr.html", kind: "html", url: "https://www.emploitunisie.com/recherche-jobs-tunisie/devops", opts: stEmploitunisieOpt, detect: true, postings: 5, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("DevOps Engineer (M/F)", "Africashore")(t, res)
			stEq(t, "url", p.URL, "https://www.emploitunisie.com/offre-emploi-tunisie/devops-engineer-mf-175080")
			stEq(t, "date", p.PostedAt, "2026-04-13")
			stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[CDI, CDD - Freelance]")
		}},
		{file: "other/nacef-keejob-tn-listing-fr.html", kind: "html", url: "https://www.keejob.com/offres-emploi/?keywords=devops", opts: stKeejobOpts, detect: true, postings: 1, check: func(t *testing.T, res ParseResult) {
			p := res.Postings[0]
			one("Ingénieur DevOps Senior", "MOONSIDE CONSULTING & SERVICES")(t, res)
			stEq(t, "url", p.URL, "https://www.keejob.com/offres-emploi/240510/ing%C3%A9nieur-devops-senior/")
			stEq(t, "location", fmt.Sprint(p.LocationTexts), "[Tunis]")
			stEq(t, "date", p.PostedAt, "11 mai 2026")
		}},
	}
}

// Pages with no posting in any structured form: no structured kind may claim them.
var stNegativeFixtures = []string{
	"other/tv-jobsinschoolsnortheast-detail-nojsonld.html",
	"other/tv-jobsinschoolsnortheast-listing-nojsonld.html",
	"other/jg-linkedin-job-page-nojsonld.html",
	"other/vercel-careers-detail-analytics-engineer-nojsonld.html",
	"other/nacef-keejob-tn-listing-fr.html",
	"other/nacef-emploitunisie-tn-listing-fr.html",
	"other/rekrute-ma-listing-fr.html",
}

func stEq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func stReadFixture(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c stGoldenCase) doc(t *testing.T) Document {
	u := c.url
	if u == "" {
		u = "https://fixtures.example/" + filepath.Base(c.file)
	}
	return Document{URL: u, Body: stReadFixture(t, c.file), Options: c.opts}
}

func TestStructuredGolden(t *testing.T) {
	fixtures.Dir(t)
	for _, c := range stGoldenCases() {
		t.Run(c.file, func(t *testing.T) {
			doc := c.doc(t)
			if c.detect {
				f, ok := DetectFormat(doc)
				if !ok || f.Name != c.kind {
					t.Errorf("DetectFormat = %q, %v; want %q", f.Name, ok, c.kind)
				}
			}
			f, ok := FormatByName(c.kind)
			if !ok {
				t.Fatalf("no format %q", c.kind)
			}
			res, err := f.Parse(doc)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(res.Postings) != c.postings || len(res.Skipped) != c.skipped {
				t.Fatalf("got %d postings, %d skipped (%v); want %d, %d", len(res.Postings), len(res.Skipped), res.Skipped, c.postings, c.skipped)
			}
			for i, p := range res.Postings {
				if strings.TrimSpace(p.Title) == "" {
					t.Errorf("posting %d has no title", i)
				}
				if p.URL != "" && !strings.HasPrefix(p.URL, "http") {
					t.Errorf("posting %d URL not absolute: %q", i, p.URL)
				}
			}
			if c.check != nil && len(res.Postings)+len(res.Skipped) > 0 {
				c.check(t, res)
			}
			stCompareGolden(t, c.kind, c.file, res)
		})
	}
}

func TestStructuredNegativeFixtures(t *testing.T) {
	fixtures.Dir(t)
	for _, file := range stNegativeFixtures {
		doc := Document{URL: "https://fixtures.example/" + filepath.Base(file), Body: stReadFixture(t, file)}
		if f, ok := DetectFormat(doc); ok {
			t.Errorf("%s: detected as %q, want no kind", file, f.Name)
		}
		for _, kind := range []string{"jsonld", "microdata"} {
			f, _ := FormatByName(kind)
			res, err := f.Parse(doc)
			if err != nil || len(res.Postings) != 0 || len(res.Skipped) != 0 {
				t.Errorf("%s as %s: %d postings, %v, err %v; want none", file, kind, len(res.Postings), res.Skipped, err)
			}
		}
	}
}

// TestMicrodataEqualsJSONLD: schema.org eg-0028 gives one JobPosting in
// JSON-LD, microdata and RDFa; the three readings must agree on every
// field the JSON-LD version carries (it has no hiringOrganization, so
// Company is only in the microdata and RDFa readings).
func TestMicrodataEqualsJSONLD(t *testing.T) {
	read := func(file, kind string) jobs.Posting {
		f, _ := FormatByName(kind)
		res, err := f.Parse(Document{URL: "https://example.org/eg-0028", Body: stReadFixture(t, file)})
		if err != nil || len(res.Postings) != 1 {
			t.Fatalf("%s: %d postings, err %v", file, len(res.Postings), err)
		}
		return res.Postings[0]
	}
	want := read("jsonld-html/schemaorg-eg-0028-json.html", "jsonld")
	for _, file := range []string{"microdata-html/schemaorg-eg-0028-microdata.html", "other/schemaorg-eg-0028-rdfa.html"} {
		got := read(file, "microdata")
		stEq(t, file+" title", got.Title, want.Title)
		stEq(t, file+" url", got.URL, want.URL)
		stEq(t, file+" description text", stPlain(got.DescriptionHTML), stPlain(want.DescriptionHTML))
		stEq(t, file+" locations", fmt.Sprint(got.Locations), fmt.Sprint(want.Locations))
		stEq(t, file+" employment", fmt.Sprint(got.EmploymentTexts), fmt.Sprint(want.EmploymentTexts))
		stEq(t, file+" seniority", fmt.Sprint(got.SeniorityTexts), fmt.Sprint(want.SeniorityTexts))
		stEq(t, file+" salary", fmt.Sprint(*got.Salary), fmt.Sprint(*want.Salary))
		stEq(t, file+" tags", fmt.Sprint(got.Tags), fmt.Sprint(want.Tags))
		stEq(t, file+" posted", got.PostedAt, want.PostedAt)
		for k, v := range want.Raw {
			stEq(t, file+" raw "+k, got.Raw[k], v)
		}
		stEq(t, file+" company", got.Company, "ABC Company Inc.")
	}
}

// stPlain strips tags and collapses space, to compare descriptions.
func stPlain(s string) string {
	return stText(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " "))
}

// TestStructuredPeerExpectations compares with other projects' readings of
// the same files, on the fields that map.
//
// Vercel listing (shane-kercheval/job-search, 22 jobs): that list was made
// from another snapshot of the page and is a subset; 14 of its 22 URLs are
// on this page (54 cards) and for those title and location must match.
// The other 8 (e.g. "Legal Counsel", "Enterprise Account Executive,
// Australia" where the page says "..., APAC") are not on the saved page.
//
// ReKrute listing (Apify dataset, 11 records): 10 URLs are on the page. Their
// job_title is rewritten ("Assistante de Direction - Fès") where the page
// says "Assistante de Direction | Fès (Maroc)"; we keep the page's text, so
// the comparison is on the URL and the title before " | ".
//
// La bonne alternance snapshots (hellowork, jobteaser, pass): records are
// matched by apply_url = our URL; offer_title and workplace_name must match
// (theirs keeps "&#039;" undecoded in PASS names: we decode HTML entities,
// so theirs is decoded before comparing); partner_job_id matches our
// SourceID for hellowork (guid) and jobteaser (id), while for PASS they use
// dc:identifier ("A-2025-158984") and we use the RSS guid, which is the
// feed's own item id. Their other fields are normalized values (dates in
// UTC, contract types mapped to their vocabulary), not comparable to
// values as found.
func TestStructuredPeerExpectations(t *testing.T) {
	dir := fixtures.Dir(t)
	parse := func(c stGoldenCase) ParseResult {
		f, _ := FormatByName(c.kind)
		res, err := f.Parse(c.doc(t))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	byURL := func(res ParseResult) map[string]jobs.Posting {
		m := map[string]jobs.Posting{}
		for _, p := range res.Postings {
			m[p.URL] = p
		}
		return m
	}

	t.Run("vercel", func(t *testing.T) {
		got := byURL(parse(stGoldenCase{file: "other/vercel-careers-listing-nojsonld.html", kind: "html", url: "https://vercel.com/careers", opts: stVercelOpts}))
		y, err := os.ReadFile(filepath.Join(dir, "expected/vercel-careers-listing.expected.yml"))
		if err != nil {
			t.Skip(err)
		}
		re := regexp.MustCompile(`(?m)^  location: (.*)\n  title: (.*)\n  url: (.*)$`)
		matched := 0
		for _, m := range re.FindAllStringSubmatch(string(y), -1) {
			p, ok := got[strings.TrimSpace(m[3])]
			if !ok {
				continue
			}
			matched++
			// white space is collapsed in texts read from HTML
			stEq(t, m[3]+" title", p.Title, stText(m[2]))
			stEq(t, m[3]+" location", strings.Join(p.LocationTexts, "; "), strings.TrimSpace(m[1]))
		}
		if matched != 14 {
			t.Errorf("%d of the expected URLs found on the page, want 14", matched)
		}
	})

	t.Run("rekrute", func(t *testing.T) {
		got := byURL(parse(stGoldenCase{file: "other/rekrute-ma-listing-fr.html", kind: "html", url: "https://www.rekrute.com/offres.html", opts: stRekruteOpts}))
		files, _ := filepath.Glob(filepath.Join(dir, "expected/rekrute-ma-listing-apify-output/*.json"))
		matched := 0
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var rec struct {
				Title string `json:"job_title"`
				URL   string `json:"job_url"`
			}
			if err := json.Unmarshal(b, &rec); err != nil {
				t.Fatal(err)
			}
			p, ok := got[rec.URL]
			if !ok {
				continue
			}
			matched++
			theirs := rec.Title[:max(0, strings.LastIndex(rec.Title, " - "))]
			ours, _, _ := strings.Cut(p.Title, " | ")
			stEq(t, rec.URL, ours, theirs)
		}
		if len(files) > 0 && matched != 10 {
			t.Errorf("%d of %d expected URLs read, want 10", matched, len(files))
		}
	})

	for _, lba := range []struct{ snap, feed string }{
		{"expected/lba-hellowork-import.expected.snap", "other/lba-hellowork-feed-fr.xml"},
		{"expected/lba-jobteaser-import.expected.snap", "other/lba-jobteaser-feed-fr.xml"},
		{"expected/lba-pass-rss-import.expected.snap", "rss/lba-pass-fonction-publique-fr.rss"},
	} {
		t.Run(lba.snap, func(t *testing.T) {
			got := byURL(parse(stGoldenCase{file: lba.feed, kind: "feed"}))
			snap, err := os.ReadFile(filepath.Join(dir, lba.snap))
			if err != nil {
				t.Skip(err)
			}
			recs := stSnapRecords(string(snap))
			if len(recs) == 0 {
				t.Fatal("no records in snapshot")
			}
			for _, r := range recs {
				p, ok := got[r["apply_url"]]
				if !ok {
					t.Errorf("no posting with URL %s", r["apply_url"])
					continue
				}
				stEq(t, "title", p.Title, stText(r["offer_title"]))
				stEq(t, "company", p.Company, html.UnescapeString(r["workplace_name"]))
				if !strings.Contains(lba.snap, "pass") {
					stEq(t, "id", p.SourceID, r["partner_job_id"])
				}
				if city := r["workplace_address_city"]; city != "" && len(p.Locations) > 0 {
					stEq(t, "city", p.Locations[0].City, city)
				}
			}
		})
	}
}

// stSnapRecords reads the string fields of each record of a vitest snapshot.
func stSnapRecords(snap string) []map[string]string {
	var out []map[string]string
	field := regexp.MustCompile(`^    "([a-z_]+)": "(.*)",$`)
	var cur map[string]string
	for _, line := range strings.Split(snap, "\n") {
		switch {
		case line == "  {":
			cur = map[string]string{}
		case line == "  }," && cur != nil:
			out = append(out, cur)
			cur = nil
		case cur != nil:
			if m := field.FindStringSubmatch(line); m != nil {
				var v string
				if json.Unmarshal([]byte(`"`+m[2]+`"`), &v) != nil {
					v = m[2]
				}
				cur[m[1]] = v
			}
		}
	}
	return out
}

// stGoldenPosting is a posting as stored in golden files: descriptions are
// cut to their first 300 bytes (plus their length) to keep files reviewable.
func stGoldenView(res ParseResult) any {
	type view struct {
		Postings []jobs.Posting
		Skipped  []Skip
	}
	v := view{Skipped: res.Skipped}
	for _, p := range res.Postings {
		if n := len(p.DescriptionHTML); n > 300 {
			p.DescriptionHTML = stCap(p.DescriptionHTML, 300) + fmt.Sprintf(" …[%d bytes]", n)
		}
		v.Postings = append(v.Postings, p)
	}
	return v
}

func stCompareGolden(t *testing.T, kind, file string, res ParseResult) {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)) + ".json"
	path := filepath.Join("testdata", "golden", kind, name)
	got, err := json.MarshalIndent(stGoldenView(res), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *stUpdateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file missing (run with -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the parser's output; run `go test ./crawler -run Golden -update` and review the diff", path)
	}
}

// BenchmarkExtractStructured parses every structured fixture (shared ones
// when present, our testdata otherwise) with its kind, and in the same loop
// runs html.Parse alone over the same bytes as a baseline. It reports
// postings parsed per second and the ratio of parse time to baseline time.
func BenchmarkExtractStructured(b *testing.B) {
	type benchDoc struct {
		kind string
		doc  Document
	}
	var docs []benchDoc
	if dir, ok := fixtures.Find(); ok {
		for _, c := range stGoldenCases() {
			body, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				continue // absent fixture: benchmark the others
			}
			docs = append(docs, benchDoc{c.kind, Document{URL: c.url, Body: body, Options: c.opts}})
		}
	} else {
		for name, kind := range map[string]string{"jsonld-messy.html": "jsonld", "microdata-job.html": "microdata", "feed-rss.xml": "feed", "feed-generic.xml": "feed"} {
			docs = append(docs, benchDoc{kind, Document{URL: "https://bench.example/", Body: stReadTestdata(b, name)}})
		}
		docs = append(docs, benchDoc{"html", Document{URL: "https://bench.example/", Body: stReadTestdata(b, "listing.html"), Options: stListingOpts}})
	}
	var bytesTotal int64
	for _, d := range docs {
		bytesTotal += int64(len(d.doc.Body))
	}
	b.SetBytes(bytesTotal)
	var parseDur, baseDur time.Duration
	postings := 0
	for b.Loop() {
		t0 := time.Now()
		for _, d := range docs {
			if _, err := xhtml.Parse(bytes.NewReader(d.doc.Body)); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		for _, d := range docs {
			f, _ := FormatByName(d.kind)
			res, err := f.Parse(d.doc)
			if err != nil {
				b.Fatal(err)
			}
			postings += len(res.Postings)
		}
		t2 := time.Now()
		baseDur += t1.Sub(t0)
		parseDur += t2.Sub(t1)
	}
	b.ReportMetric(float64(postings)/parseDur.Seconds(), "postings/s")
	b.ReportMetric(parseDur.Seconds()/baseDur.Seconds(), "parse/html.Parse")
}

// defaultSourceOptions are the options of the embedded default source
// name, so that the tests read pages with the selectors we ship.
func defaultSourceOptions(name string) map[string]string {
	srcs, err := LoadSources("")
	if err != nil {
		panic(err)
	}
	for _, s := range srcs {
		if s.Name == name {
			return s.Options
		}
	}
	panic("no default source " + name)
}
