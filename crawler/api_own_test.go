package crawler

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/jobs"
)

// Expectations for our own fixtures in testdata/api (written by us, so the
// tests run without ../shared).
var apiOwnWant = map[string]apiWant{
	"own/remotive.json": {postings: 2, skipped: 2, id: "9001", title: "Junior Data Analyst & BI", company: "Atlas Data",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckStrings(t, "EligibilityTexts", p.EligibilityTexts, []string{"Africa, Europe"})
			apiCheckStrings(t, "Tags", p.Tags, []string{"Data", "python", "sql"}) // "Python" repeats "python"
			if p.SalaryText != "$30k - $40k" || p.DescriptionHTML != "<p>Work with <b>pandas</b>.</p>" {
				t.Errorf("SalaryText, DescriptionHTML = %q, %q", p.SalaryText, p.DescriptionHTML)
			}
			q := ps[1] // nulls everywhere
			if q.SourceID != "9002" || q.Company != "" || q.EligibilityTexts != nil || q.Tags != nil || q.PostedAt != "" {
				t.Errorf("null fields read as %+v", q)
			}
		}},
	"own/remoteok.json": {postings: 2, skipped: 1, id: "501", title: "Machine Learning Engineer", company: "Acme",
		check: func(t *testing.T, ps []jobs.Posting) {
			apiCheckSalary(t, 0, ps[0], &jobs.Salary{Min: 60000, Max: 80000, Currency: "USD", Period: "year"})
			apiCheckSalary(t, 1, ps[1], nil)
			if ps[0].PostedAt != "1786728971" || ps[1].PostedAt != "1786728971000" {
				t.Errorf("PostedAt = %q, %q", ps[0].PostedAt, ps[1].PostedAt)
			}
			if ps[1].SourceID != "502" {
				t.Errorf("numeric id read as %q", ps[1].SourceID)
			}
		}},
	"own/himalayas.json": {postings: 2, title: "Data Scientist", company: "Orbit",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 50000, Max: 70000, Currency: "EUR", Period: "year"})
			apiCheckStrings(t, "EligibilityTexts", p.EligibilityTexts, []string{"Morocco", "France"})
			apiCheckStrings(t, "TimezoneTexts", p.TimezoneTexts, []string{"UTC-5", "UTC+0", "UTC+1", "UTC+5:30", "CET"})
			apiCheckStrings(t, "SeniorityTexts", p.SeniorityTexts, []string{"Entry-level"})
			apiCheckStrings(t, "Tags", p.Tags, []string{"Data", "Data-Science"})
			if p.PostedAt != "1786813232000" || p.URL != "https://himalayas.app/companies/orbit/jobs/data-scientist" {
				t.Errorf("PostedAt, URL = %q, %q", p.PostedAt, p.URL)
			}
			q := ps[1]
			if q.URL != "https://himalayas.app/x/2" || q.Description != "Plain excerpt" || q.TimezoneTexts != nil {
				t.Errorf("second = URL %q, Description %q, TZ %q", q.URL, q.Description, q.TimezoneTexts)
			}
		}},
	"own/jobicy.json": {postings: 2, id: "77", title: "Python Developer", company: "Sahara Soft",
		check: func(t *testing.T, ps []jobs.Posting) {
			apiCheckSalary(t, 0, ps[0], &jobs.Salary{Min: 40000, Max: 60000, Currency: "EUR", Period: "year"})
			apiCheckSalary(t, 1, ps[1], &jobs.Salary{Min: 20, Max: 25, Currency: "USD", Period: "hour"})
			apiCheckStrings(t, "EmploymentTexts", ps[0].EmploymentTexts, []string{"Full-Time"})
			apiCheckStrings(t, "Tags", ps[0].Tags, []string{"Data Science & Analytics"})
			if ps[1].DescriptionHTML != "Only an excerpt" {
				t.Errorf("excerpt fallback = %q", ps[1].DescriptionHTML)
			}
		}},
	"own/arbeitnow.json": {postings: 2, id: "werkstudent-data-berlin-1", title: "Werkstudent Data (m/w/d)", company: "Datenwerk",
		check: func(t *testing.T, ps []jobs.Posting) {
			apiCheckRemote(t, 0, ps[0], apiTrue()) // "true" as a string
			apiCheckRemote(t, 1, ps[1], nil)       // null
			apiCheckStrings(t, "EmploymentTexts", ps[0].EmploymentTexts, []string{"Werkstudent", "Teilzeit"})
			if ps[1].PostedAt != "1786807825" {
				t.Errorf("PostedAt = %q", ps[1].PostedAt)
			}
		}},
	"own/greenhouse.json": {postings: 2, skipped: 1, id: "4001", title: "Data Engineer", company: "Nimbus",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			if p.DescriptionHTML != "<p>R&amp;D team</p>" {
				t.Errorf("DescriptionHTML = %q, want unescaped exactly once", p.DescriptionHTML)
			}
			apiCheckStrings(t, "EmploymentTexts", p.EmploymentTexts, []string{"Full-time", "Permanent"})
			apiCheckStrings(t, "SeniorityTexts", p.SeniorityTexts, []string{"Junior"})
			apiCheckStrings(t, "LocationTexts", p.LocationTexts, []string{"Remote, Morocco"})
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 50000, Max: 70000, Currency: "USD"})
			if p.Raw["metadata.Team size"] != "12" || p.Raw["offices"] != "Casablanca" {
				t.Errorf("Raw = %v", p.Raw)
			}
			q := ps[1] // location of the wrong type; content already HTML
			if q.DescriptionHTML != "<p>Already HTML &amp; fine</p>" || q.LocationTexts != nil || q.Company != "nimbus" {
				t.Errorf("second = %q, %q, %q", q.DescriptionHTML, q.LocationTexts, q.Company)
			}
		}},
	"own/lever.json": {postings: 2, id: "aaaa-1", title: "Backend Engineer", company: "acme",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckRemote(t, 0, p, apiFalse())
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 15000, Max: 20000, Currency: "MAD", Period: "month"})
			want := "<p>Intro</p>\n<h3>Requirements</h3>\n<ul><li>Go</li></ul>\n<p>Perks</p>"
			if p.DescriptionHTML != want {
				t.Errorf("DescriptionHTML = %q, want %q", p.DescriptionHTML, want)
			}
			if !reflect.DeepEqual(p.Locations, []jobs.Location{{Country: "MA"}}) {
				t.Errorf("Locations = %+v", p.Locations)
			}
			apiCheckStrings(t, "Tags", p.Tags, []string{"Engineering", "Platform"})
			q := ps[1]
			apiCheckRemote(t, 1, q, nil)
			if q.WorkplaceTexts != nil || q.Description != "Plain only" || q.SalaryText != "Stipend" {
				t.Errorf("second = %q, %q, %q", q.WorkplaceTexts, q.Description, q.SalaryText)
			}
			apiCheckStrings(t, "LocationTexts", q.LocationTexts, []string{"Rabat", "Oujda"})
		}},
	"own/ashby.json": {postings: 2, skipped: 1, id: "ash-1", title: "Analytics Engineer", company: "orbit",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckRemote(t, 0, p, apiTrue()) // isRemote, no workplaceType
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 50000, Max: 60000, Currency: "EUR", Period: "year"})
			if p.Description != "Plain text" || p.SalaryText != "" {
				t.Errorf("Description, SalaryText = %q, %q", p.Description, p.SalaryText)
			}
			apiCheckStrings(t, "LocationTexts", p.LocationTexts, []string{"Remote (EMEA)", "Lisbon"})
			q := ps[1]
			apiCheckRemote(t, 1, q, apiFalse())
			if q.SalaryText != "Competitive" {
				t.Errorf("SalaryText = %q", q.SalaryText)
			}
		}},
	"own/workable.json": {postings: 1, id: "AB12CD34", title: "Data Analyst", company: "Zellige Labs",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckRemote(t, 0, p, apiFalse())
			want := []jobs.Location{{City: "Oujda", Region: "Oriental", Country: "MA"}, {City: "Paris", Country: "FR"}}
			if !reflect.DeepEqual(p.Locations, want) {
				t.Errorf("Locations = %+v, want %+v", p.Locations, want)
			}
			apiCheckStrings(t, "SeniorityTexts", p.SeniorityTexts, []string{"Entry level"})
		}},
	"own/workable-careers.json": {postings: 1, id: "ZZ99", title: "ML Engineer",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckRemote(t, 0, p, nil) // workplace "hybrid" wins over remote: true
			apiCheckStrings(t, "WorkplaceTexts", p.WorkplaceTexts, []string{"hybrid"})
			apiCheckStrings(t, "Tags", p.Tags, []string{"AI", "Research"})
			if !reflect.DeepEqual(p.Locations, []jobs.Location{{City: "Madrid", Region: "Madrid", Country: "ES"}}) {
				t.Errorf("Locations = %+v", p.Locations)
			}
		}},
	"own/smartrecruiters.json": {postings: 2, id: "7440001", title: "Junior Data Scientist", company: "Orbit Co",
		check: func(t *testing.T, ps []jobs.Posting) {
			apiCheckRemote(t, 0, ps[0], nil)
			apiCheckStrings(t, "WorkplaceTexts", ps[0].WorkplaceTexts, []string{"hybrid"})
			apiCheckStrings(t, "SeniorityTexts", ps[0].SeniorityTexts, []string{"Entry Level", "entry_level"})
			apiCheckRemote(t, 1, ps[1], apiTrue())
			if ps[1].SourceID != "7440002" || ps[1].URL != "https://jobs.smartrecruiters.com/OrbitCo/7440002" {
				t.Errorf("second = %q %q", ps[1].SourceID, ps[1].URL)
			}
		}},
	"own/smartrecruiters-detail.json": {postings: 1, id: "7440003", title: "Data Engineer", company: "Orbit Co",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			want := "<h3>Job Description</h3>\n<p>Pipelines.</p>\n<h3>Qualifications</h3>\n<ul><li>SQL</li></ul>"
			if p.DescriptionHTML != want {
				t.Errorf("DescriptionHTML = %q, want %q", p.DescriptionHTML, want)
			}
			apiCheckRemote(t, 0, p, apiFalse())
			if p.URL != "https://jobs.smartrecruiters.com/OrbitCo/7440003-data-engineer" {
				t.Errorf("URL = %q", p.URL)
			}
		}},
	"own/recruitee.json": {postings: 1, skipped: 1, id: "501", title: "Data Engineer", company: "Tadelakt",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckRemote(t, 0, p, apiFalse()) // on_site
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 8000, Max: 12000, Currency: "MAD", Period: "month"})
			if !reflect.DeepEqual(p.Locations, []jobs.Location{{City: "Oujda", Region: "Oriental", Country: "MA"}}) {
				t.Errorf("Locations = %+v", p.Locations)
			}
			apiCheckStrings(t, "Tags", p.Tags, []string{"Data", "python"})
		}},
	"own/recruitee-offer.json": {postings: 1, id: "503", title: "Analyst", company: "Tadelakt",
		check: func(t *testing.T, ps []jobs.Posting) {
			apiCheckRemote(t, 0, ps[0], apiTrue())
			apiCheckSalary(t, 0, ps[0], nil)
		}},
	"own/anapec.json": {postings: 4, skipped: 2, id: "1204456", title: "Technicien en informatique (support et réseaux)", company: "Oriental Télécom Services",
		check: func(t *testing.T, ps []jobs.Posting) {
			if ps[1].Company != "" || ps[1].SourceID != "1204457" {
				t.Errorf(`entreprise "-" read as %q, numeric id as %q`, ps[1].Company, ps[1].SourceID)
			}
			apiCheckStrings(t, "LocationTexts", ps[0].LocationTexts, []string{"OUJDA"})
			apiCheckStrings(t, "LocationTexts", ps[3].LocationTexts, []string{"Qatar"})
			if ps[0].PostedAt != "18/11/2026" || ps[0].Raw["ref_offre"] != "OJ/2026/1187" {
				t.Errorf("PostedAt %q, Raw %v", ps[0].PostedAt, ps[0].Raw)
			}
		}},
	"own/anapec-lastpage.json": {postings: 1, id: "1198002", title: "Analyste de données (stage PFE)", company: "Université Mohammed Premier"},
	"own/workingnomads.json": {postings: 1, skipped: 1, title: "Python Developer", company: "Nomad Co",
		check: func(t *testing.T, ps []jobs.Posting) {
			apiCheckStrings(t, "Tags", ps[0].Tags, []string{"Development", "python", "django"})
			apiCheckStrings(t, "EligibilityTexts", ps[0].EligibilityTexts, []string{"Africa"})
		}},
	"own/jsonfeed.json": {postings: 2, id: "1", title: "Remote Data Analyst", company: "Riad",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckRemote(t, 0, p, apiTrue())
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 9000, Currency: "MAD", Period: "month"})
			apiCheckStrings(t, "EligibilityTexts", p.EligibilityTexts, []string{"Morocco"})
			apiCheckStrings(t, "EmploymentTexts", p.EmploymentTexts, []string{"FULL_TIME", "INTERN"})
			if !reflect.DeepEqual(p.Locations, []jobs.Location{{City: "Fes", Country: "MA"}}) {
				t.Errorf("Locations = %+v", p.Locations)
			}
			q := ps[1]
			if q.SourceID != "u-2" || q.Company != "Careers at Riad" || q.Description != "Text only" {
				t.Errorf("second = %q %q %q", q.SourceID, q.Company, q.Description)
			}
		}},
	"own/digitalrecruiters.json": {postings: 1, id: "REF1", title: "Stage Data Analyst (H/F)", company: "Exemple SA",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckSalary(t, 0, p, &jobs.Salary{Min: 1200, Currency: "EUR", Period: "month"})
			apiCheckStrings(t, "EmploymentTexts", p.EmploymentTexts, []string{"Stage", "Temps plein"})
			if p.DescriptionHTML != "<p>Mission</p>\n<h3>Profil</h3>\n<p>Profil recherché</p>" {
				t.Errorf("DescriptionHTML = %q", p.DescriptionHTML)
			}
		}},
	"own/talentsoft.json": {postings: 1, id: "2026-1", title: "Data Scientist (F/H)", company: "Direction Data",
		check: func(t *testing.T, ps []jobs.Posting) {
			p := ps[0]
			apiCheckStrings(t, "LocationTexts", p.LocationTexts, []string{"Lyon, Rhône (69), France"})
			if p.SalaryText != "35-45 k€" || p.Description != "Mission\n\nProfil" || p.Raw["geo"] != "45.75,4.85" {
				t.Errorf("SalaryText %q, Description %q, Raw %v", p.SalaryText, p.Description, p.Raw)
			}
		}},
}

func TestAPIOwnFixtureFields(t *testing.T) {
	all := apiOwnFixtures(t)
	if len(all) != len(apiOwnWant) {
		t.Errorf("%d own fixtures, %d with expectations", len(all), len(apiOwnWant))
	}
	kinds := map[string]bool{}
	for _, f := range all {
		kinds[f.Kind] = true
		t.Run(f.Name, func(t *testing.T) {
			want, ok := apiOwnWant[f.Name]
			if !ok {
				t.Fatalf("no expectations for %s", f.Name)
			}
			format, ok := FormatByName(f.Kind)
			if !ok {
				t.Fatalf("no kind %q", f.Kind)
			}
			res, err := format.Parse(apiLoad(t, f))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			apiCheck(t, res, want)
			for _, p := range res.Postings {
				if p.Source != f.Kind {
					t.Errorf("Source = %q, want %q", p.Source, f.Kind)
				}
			}
		})
	}
	for _, f := range apiFormats() {
		if !kinds[f.Name] {
			t.Errorf("kind %s has no own fixture in testdata/api", f.Name)
		}
	}
}

func TestAPISkipReasons(t *testing.T) {
	f := apiFixture{Name: "own/remotive.json", Kind: "remotive", Path: "testdata/api/remotive.json"}
	res, err := parseRemotive(apiLoad(t, f))
	if err != nil {
		t.Fatal(err)
	}
	want := []Skip{{Index: 2, Reason: "item is not a JSON object"}, {Index: 3, Reason: "posting has no title"}}
	if !reflect.DeepEqual(res.Skipped, want) {
		t.Errorf("Skipped = %+v, want %+v", res.Skipped, want)
	}
}

func TestAPISourceOption(t *testing.T) {
	doc := Document{Body: []byte(`[{"legal":"x"},{"id":1,"position":"Dev","epoch":1}]`), Options: map[string]string{"source": "remoteok-main"}}
	res, err := parseRemoteOK(doc)
	if err != nil || len(res.Postings) != 1 {
		t.Fatalf("parse: %v, %+v", err, res)
	}
	if res.Postings[0].Source != "remoteok-main" {
		t.Errorf("Source = %q", res.Postings[0].Source)
	}
	doc = Document{Body: []byte(`[{"id":"1","text":"Dev","hostedUrl":"https://jobs.lever.co/tok/1"}]`), Options: map[string]string{"company": "Tok Inc"}}
	res, _ = parseLever(doc)
	if len(res.Postings) != 1 || res.Postings[0].Company != "Tok Inc" {
		t.Errorf("configured company not used: %+v", res.Postings)
	}
}

// A document that is not the kind's shape at all is an error; a body over
// the cap is refused before decoding.
func TestAPIParseErrors(t *testing.T) {
	big := []byte("[" + strings.Repeat(" ", apiMaxBody) + "]")
	for _, f := range apiFormats() {
		t.Run(f.Name, func(t *testing.T) {
			for _, body := range []string{"", "{", "<html></html>", `{"jobs": {"a": 1}, "data": 3, "ads": 4, "offers": 5, "content": 6, "items": 7}`} {
				res, err := f.Parse(Document{URL: "test", Body: []byte(body)})
				if err == nil && len(res.Postings) > 0 {
					t.Errorf("%q gave postings %+v", body, res.Postings)
				}
				if err != nil && !strings.HasPrefix(err.Error(), "crawler: parse ") {
					t.Errorf("error %q lacks context", err)
				}
			}
			if _, err := f.Parse(Document{URL: "big", Body: []byte("{")}); err == nil {
				t.Error("no error for truncated JSON")
			}
			if _, err := f.Parse(Document{URL: "big", Body: big}); !errors.Is(err, errAPITooLarge) {
				t.Errorf("oversize body: err = %v, want errAPITooLarge", err)
			}
		})
	}
}

func TestAPITolerantTypes(t *testing.T) {
	type rec struct {
		S apiStr  `json:"s"`
		N apiNum  `json:"n"`
		B apiBool `json:"b"`
		L apiList `json:"l"`
	}
	tests := []struct {
		in   string
		want rec
	}{
		{`{"s":"x","n":1.5,"b":true,"l":["a","b"]}`, rec{S: "x", N: apiNum{1.5, true}, B: apiBool{true, true}, L: apiList{"a", "b"}}},
		{`{"s":1786813232000,"n":"75,000","b":"false","l":"solo"}`, rec{S: "1786813232000", N: apiNum{75000, true}, B: apiBool{false, true}, L: apiList{"solo"}}},
		{`{"s":null,"n":null,"b":null,"l":null}`, rec{}},
		{`{"s":{"a":1},"n":"n/a","b":"maybe","l":[{"name":"Morocco"},{"label":"EMEA"},3,null,""]}`, rec{N: apiNum{}, L: apiList{"Morocco", "EMEA", "3"}}},
		{`{"s":1.7e9,"n":"","b":1,"l":[]}`, rec{S: "1700000000", B: apiBool{true, true}}},
		{`{"s":false,"n":1e999,"b":0}`, rec{S: "false", B: apiBool{false, true}}},
	}
	for _, tt := range tests {
		var got rec
		if reason := apiDecodeItem([]byte(tt.in), &got); reason != "" {
			t.Errorf("%s: %s", tt.in, reason)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestAPIPeriodAndOffsets(t *testing.T) {
	for in, want := range map[string]string{"annual": "year", "per-month-salary": "month", "1 YEAR": "year", "Horaire": "hour",
		"hourly": "hour", "fortnight": "fortnight", "": ""} {
		if got := apiPeriod(in); got != want {
			t.Errorf("apiPeriod(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{0: "UTC+0", -3.5: "UTC-3:30", 5.75: "UTC+5:45", 14: "UTC+14", -10: "UTC-10", 1e300: "UTC+1" + strings.Repeat("0", 300)} {
		if got := apiUTCOffset(in); got != want {
			t.Errorf("apiUTCOffset(%v) = %q, want %q", in, got, want)
		}
	}
}
