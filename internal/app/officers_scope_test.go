package app

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// scopeProfiles: two schools' graduates (and one without a cohort); e3
// did not consent to be found.
const scopeProfiles = `{"id":"e1","name":"Amine Ensao","email":"e1@example.org","cohort":"ENSAO — Génie informatique 2025","city":"Oujda","skills":["Python","Docker"],"consent":{"searchable":true}}
{"id":"e2","name":"Badr Ensao","email":"e2@example.org","cohort":"ensao genie informatique 2025","city":"Oujda","skills":["SQL"],"consent":{"searchable":true}}
{"id":"e3","name":"Chama Ensao","email":"e3@example.org","cohort":"ENSAO — Génie informatique 2025","city":"Oujda","skills":["SQL"],"consent":{"searchable":false}}
{"id":"f1","name":"Fadwa Fso","email":"f1@example.org","cohort":"FSO — Master IA 2025","city":"Nador","skills":["Python"],"consent":{"searchable":true}}
{"id":"f2","name":"Ghali Fso","email":"f2@example.org","cohort":"FSO — Master IA 2025","city":"Nador","skills":["Deep learning","Rust"],"consent":{"searchable":true}}
{"id":"n1","name":"Hiba Nocohort","email":"n1@example.org","city":"Berkane","skills":["Rust"],"consent":{"searchable":true}}
`

// TestScopedOfficer: an officer added with --cohort sees, counts (facets),
// exports, imports, erases and charts only graduates of their cohorts
// who consented to be found — on the JSON API and on the pages, whatever
// the query parameters ask; what spans every school is refused; the admin
// token sees every school; a removed officer's session stops working.
func TestScopedOfficer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	base := "http://" + a.HTTPAddr()
	admin, err := AdminToken(h.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, tok string, body io.Reader) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, body)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	type searchRes struct {
		Total    int `json:"total"`
		Profiles []struct {
			ID string `json:"id"`
		} `json:"profiles"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	search := func(tok, query string) searchRes {
		t.Helper()
		code, b := call("GET", "/api/profiles?"+query, tok, nil)
		var r searchRes
		if code != http.StatusOK || json.Unmarshal(b, &r) != nil {
			t.Fatalf("search %q: %d %s", query, code, b)
		}
		return r
	}
	idsOf := func(r searchRes) string {
		var out []string
		for _, p := range r.Profiles {
			out = append(out, p.ID)
		}
		return strings.Join(out, ",")
	}

	code, b := call("POST", "/api/officers", admin, strings.NewReader(`{"name":"ENSAO insertion","cohorts":["ENSAO - Genie informatique 2025"]}`))
	var added struct {
		Token   string   `json:"token"`
		Cohorts []string `json:"cohorts"`
	}
	if code != http.StatusCreated || json.Unmarshal(b, &added) != nil || len(added.Token) < 32 {
		t.Fatalf("add a scoped officer: %d %s", code, b)
	}
	tok := added.Token
	if code, b := call("POST", "/api/officers", admin, strings.NewReader(`{"name":"Vide","cohorts":["  "]}`)); code != http.StatusBadRequest {
		t.Errorf("an officer scoped to a blank cohort: %d %s", code, b)
	}
	if code, b := call("POST", "/api/profiles/import", admin, strings.NewReader(scopeProfiles)); code != http.StatusOK {
		t.Fatalf("admin import: %d %s", code, b)
	}
	deadline := time.Now().Add(20 * time.Second)
	for search(admin, "").Total != 5 {
		if time.Now().After(deadline) {
			t.Fatalf("the index has not caught up: %+v", search(admin, ""))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, b := call("GET", "/api/officers", admin, nil); code != http.StatusOK || !strings.Contains(string(b), `"cohorts":["ENSAO - Genie informatique 2025"]`) {
		t.Errorf("officers list: %d %s", code, b)
	}

	// Search and facets: only e1 and e2, however the query is crafted.
	r := search(tok, "facets=1")
	if idsOf(r) != "e1,e2" || r.Total != 2 {
		t.Errorf("scoped search: %q (total %d), want e1,e2", idsOf(r), r.Total)
	}
	for facet, counts := range r.Facets {
		for _, c := range counts {
			if c.Count > 2 || strings.Contains(c.Value, "fso") || c.Value == "nador" || c.Value == "rust" || c.Value == "berkane" {
				t.Errorf("facet %s shows another school's graduates: %+v", facet, counts)
			}
		}
	}
	for _, q := range []string{
		"cohort=" + url.QueryEscape("FSO — Master IA 2025") + "&facets=1",
		"q=Fadwa", "q=Fso", "skill=deep+learning", "skill=rust&facets=1", "city=Nador&facets=1",
		"cohorts=" + url.QueryEscape("FSO — Master IA 2025") + "&q=Ghali",
		"q=Hiba", "q=Chama",
	} {
		r := search(tok, q)
		if r.Total != 0 || len(r.Profiles) != 0 {
			t.Errorf("crafted query %q: %q (total %d), want nothing", q, idsOf(r), r.Total)
		}
		for facet, counts := range r.Facets {
			if len(counts) > 0 {
				t.Errorf("crafted query %q: facet %s counts %+v", q, facet, counts)
			}
		}
	}
	if r := search(tok, "limit=1000&offset=0&match=any&skill=python&skill=rust"); idsOf(r) != "e1" {
		t.Errorf("any-of skills: %q, want e1", idsOf(r))
	}
	if r := search(admin, "skill=python"); idsOf(r) != "e1,f1" {
		t.Errorf("admin search: %q, want e1,f1", idsOf(r))
	}

	// Exports.
	for _, path := range []string{"/api/profiles/export.csv", "/api/profiles/export.jsonl", "/api/profiles/export.csv?cohort=" + url.QueryEscape("FSO — Master IA 2025")} {
		code, b := call("GET", path, tok, nil)
		s := string(b)
		if code != http.StatusOK || strings.Contains(s, "Fso") || strings.Contains(s, "Nocohort") || strings.Contains(s, "Chama") {
			t.Errorf("%s: %d, another school's (or a non-consenting) graduate exported:\n%s", path, code, s)
		}
		if !strings.Contains(path, "cohort=") && (!strings.Contains(s, "Amine Ensao") || !strings.Contains(s, "Badr Ensao")) {
			t.Errorf("%s: the officer's own graduates missing:\n%s", path, s)
		}
	}

	// Market dashboard: counts only the officer's consenting graduates.
	for _, c := range []struct {
		tok, query string
		want       int
	}{{tok, "", 2}, {tok, "cohort=" + url.QueryEscape("FSO — Master IA 2025"), 0}, {admin, "", 5}} {
		code, b := call("GET", "/api/market?"+c.query, c.tok, nil)
		var m struct {
			Graduates int `json:"graduates"`
		}
		if code != http.StatusOK || json.Unmarshal(b, &m) != nil || m.Graduates != c.want {
			t.Errorf("market %q: %d graduates (%d %.200s), want %d", c.query, m.Graduates, code, b, c.want)
		}
	}

	// Import: rows of another cohort, or taking over another school's
	// graduate, are refused line by line (in French with lang=fr).
	imp := `{"id":"e4","name":"Dina Ensao","email":"e4@example.org","cohort":"ENSAO — Génie informatique 2025","consent":{"searchable":true}}
{"id":"f1","name":"Pirate","email":"f1@example.org","cohort":"ENSAO — Génie informatique 2025","consent":{"searchable":true}}
{"id":"x1","name":"Autre","email":"x1@example.org","cohort":"FSO — Master IA 2025","consent":{"searchable":true}}
{"id":"x2","name":"Sans promo","email":"x2@example.org","consent":{"searchable":true}}
`
	code, b = call("POST", "/api/profiles/import?lang=fr", tok, strings.NewReader(imp))
	var rep struct {
		Imported   int      `json:"imported"`
		Rejected   int      `json:"rejected"`
		LineErrors []string `json:"line_errors"`
	}
	if code != http.StatusOK || json.Unmarshal(b, &rep) != nil || rep.Imported != 1 || rep.Rejected != 3 || len(rep.LineErrors) != 3 {
		t.Fatalf("scoped import: %d %s", code, b)
	}
	for i, want := range []string{"ligne 2, champ « id » : \"f1\" est un diplômé d'une promotion d'un autre établissement",
		"ligne 3, champ « cohort » : la promotion \"FSO — Master IA 2025\" n'est pas une promotion de votre établissement",
		"ligne 4, champ « cohort » : la promotion \"\" n'est pas"} {
		if !strings.HasPrefix(rep.LineErrors[i], want) {
			t.Errorf("line error %d: %q, want %q…", i, rep.LineErrors[i], want)
		}
	}
	if p, err := a.repo.Get(t.Context(), "f1"); err != nil || p.Name != "Fadwa Fso" || !strings.HasPrefix(p.Cohort, "FSO") {
		t.Errorf("another school's graduate changed by a scoped import: %+v %v", p, err)
	}
	for _, id := range []string{"x1", "x2"} {
		if _, err := a.repo.Get(t.Context(), id); err == nil {
			t.Errorf("%s imported outside the officer's cohorts", id)
		}
	}

	// Erasure: another school's graduate is unknown to the officer.
	if code, b := call("DELETE", "/api/profiles/f1", tok, nil); code != http.StatusNotFound {
		t.Errorf("a scoped officer erasing another school's graduate: %d %s", code, b)
	}
	if _, err := a.repo.Get(t.Context(), "f1"); err != nil {
		t.Errorf("f1 erased by another school's officer: %v", err)
	}
	// What spans every school.
	for _, path := range []string{"/api/dead", "/api/feedback.jsonl", "/api/officers"} {
		if code, _ := call("GET", path, tok, nil); code != http.StatusForbidden {
			t.Errorf("GET %s as a scoped officer: %d, want 403", path, code)
		}
	}

	// The pages, through a session opened with the officer's token.
	br := newBrowserless(t)
	_, page, _ := br.get(base + "/officers/login?lang=fr")
	if code, _, hdr := br.post(base+"/officers/login?lang=fr", url.Values{"csrf": {csrfOf(t, page)}, "token": {tok}}); code != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/officers?") {
		t.Fatalf("login with an added officer's token: %d %v", code, hdr)
	}
	code, page, _ = br.get(base + "/officers?lang=fr")
	if code != http.StatusOK || !strings.Contains(page, "Amine Ensao") || !strings.Contains(page, "Dina Ensao") || !strings.Contains(page, `id="facets"`) {
		t.Fatalf("officers' page: %d\n%s", code, page)
	}
	if !strings.Contains(page, "ENSAO - Genie informatique 2025") {
		t.Errorf("the page does not say which cohorts the officer sees")
	}
	for _, q := range []string{"", "&cohort=" + url.QueryEscape("FSO — Master IA 2025"), "&skills=rust", "&q=Ghali", "&city=Nador", "&year=2000-2100&language=fr"} {
		_, p, _ := br.get(base + "/officers?lang=fr" + q)
		// The filters as typed are echoed in the form; the results and
		// facets follow it.
		_, p, _ = strings.Cut(p, `id="search"`)
		_, p, _ = strings.Cut(p, "</form>")
		if !strings.Contains(p, `id="results"`) {
			t.Fatalf("no results table after the search form:\n%s", p)
		}
		for _, other := range []string{"Fadwa", "Ghali", "Hiba", "Chama", "Nador", "Berkane", "FSO", "fso"} {
			if strings.Contains(p, other) {
				t.Errorf("officers' page %q shows %q", q, other)
			}
		}
	}
	_, csv, _ := br.get(base + "/officers/export.csv?cohort=")
	if !strings.Contains(csv, "Amine Ensao") || strings.Contains(csv, "Fso") || strings.Contains(csv, "Nocohort") {
		t.Errorf("page export:\n%s", csv)
	}
	_, mk, _ := br.get(base + "/officers/market?lang=fr")
	if !strings.Contains(mk, "3 diplômés") {
		t.Errorf("market page: want 3 graduates (e1, e2, e4)\n%.2000s", mk)
	}
	_, mcsv, _ := br.get(base + "/officers/market.csv")
	if !strings.Contains(mcsv, "summary;graduates;3") {
		t.Errorf("market csv:\n%s", mcsv)
	}

	// The page's import, in the page's language, with line and column.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", csrfOf(t, page))
	fw, _ := mw.CreateFormFile("file", "promo.csv")
	_, _ = io.WriteString(fw, "Nom;Adresse e-mail;Promotion\nEya Ensao;e5@example.org;ENSAO — Génie informatique 2025\nIntrus;x3@example.org;FSO — Master IA 2025\n")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", base+"/officers/import?lang=ar", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := br.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ib, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ib = []byte(strings.NewReplacer("\u2068", "", "\u2069", "").Replace(string(ib)))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(ib), "السطر 3، العمود «Promotion»: الفوج") {
		t.Errorf("page import by a scoped officer: %d\n%s", resp.StatusCode, ib)
	}
	if _, err := a.repo.Get(t.Context(), "x3"); err == nil {
		t.Error("the page imported a graduate of another cohort")
	}

	// Removed, the officer's token and session stop working.
	if code, _ := call("DELETE", "/api/officers/ENSAO%20insertion", admin, nil); code != http.StatusOK {
		t.Fatalf("remove: %d", code)
	}
	if code, _, hdr := br.get(base + "/officers?lang=fr"); code != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/officers/login") {
		t.Errorf("a removed officer's session: %d %v", code, hdr)
	}
}
