package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRecruiterAccounts: the admin adds a recruiter for a company at run
// time (no restart, no environment variable); its token posts offers
// under that company, through the API and a page session; names that
// would share another recruiter's namespace are refused; officers other
// than the admin cannot manage recruiters; a removed recruiter's token
// and session stop working.
func TestRecruiterAccounts(t *testing.T) {
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
	call := func(method, path, tok string, body any) (int, []byte) {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, r)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	add := func(name string) (int, string) {
		t.Helper()
		code, b := call("POST", "/api/recruiters", admin, map[string]string{"name": name})
		var res struct {
			Token string `json:"token"`
		}
		_ = json.Unmarshal(b, &res)
		return code, res.Token
	}
	code, tok := add("Atlas Data Maroc")
	if code != http.StatusCreated || len(tok) < 32 {
		t.Fatalf("add a recruiter: %d %q", code, tok)
	}
	offer := map[string]any{
		"id": "ds-1", "title": "Data scientist junior", "url": "https://atlas.example.org/jobs/ds-1",
		"description": "Python, SQL et scikit-learn. Poste junior à Oujda.",
		"locations":   []map[string]string{{"city": "Oujda", "country": "MA"}},
	}
	if resp, body := postOffer(t, a, tok, offer); resp.StatusCode != http.StatusAccepted || !strings.Contains(body, "recruiter-atlas-data-maroc:ds-1") {
		t.Fatalf("POST /api/offers with an added recruiter's token: %d %s", resp.StatusCode, body)
	}
	if resp, body := postOffer(t, a, tok, map[string]any{"id": "x", "title": "Data analyst", "company": "Acme RH", "url": "https://atlas.example.org/jobs/x", "description": "SQL."}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an added recruiter posting for another company: %d %s", resp.StatusCode, body)
	}

	// One namespace per recruiter: the same company again (case,
	// punctuation aside), or the configured one, is refused; two
	// companies named only in Arabic are two namespaces.
	for _, name := range []string{"atlas data maroc", "ATLAS-DATA (Maroc)", "Acme RH", "acme-rh"} {
		if code, tok := add(name); code != http.StatusBadRequest || tok != "" {
			t.Errorf("add %q: %d, want 400", name, code)
		}
	}
	for _, name := range []string{"الأطلس للبيانات", "الشرق للتحليل"} {
		if code, _ := add(name); code != http.StatusCreated {
			t.Errorf("add %q: %d", name, code)
		}
	}
	if code, _ := add("\u0627\u0644\u0623\u0637\u0644\u0633 \u0644\u0644\u0628\u064a\u0627\u0646\u0627\u062a"); code != http.StatusBadRequest {
		t.Errorf("the same Arabic name twice: %d, want 400", code)
	}
	code, b := call("GET", "/api/recruiters", admin, nil)
	var list struct {
		Recruiters []string `json:"recruiters"`
	}
	if code != http.StatusOK || json.Unmarshal(b, &list) != nil || len(list.Recruiters) != 3 || list.Recruiters[0] != "Atlas Data Maroc" {
		t.Errorf("GET /api/recruiters: %d %s", code, b)
	}

	// Only the admin token manages recruiters.
	otok, err := a.AddOfficer(t.Context(), "ENSAO insertion", "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range []string{otok, tok, "rec-token-0123456789"} {
		if code, _ := call("POST", "/api/recruiters", tk, map[string]string{"name": "Intrus SARL"}); code != http.StatusForbidden && code != http.StatusUnauthorized {
			t.Errorf("POST /api/recruiters with a non-admin token: %d", code)
		}
	}
	if code, _ := call("GET", "/api/recruiters", otok, nil); code != http.StatusForbidden {
		t.Errorf("GET /api/recruiters as an officer: %d, want 403", code)
	}

	// The pages, through a session opened with the token.
	br := newBrowserless(t)
	_, page, _ := br.get(base + "/recruiters/login?lang=fr")
	if code, _, hdr := br.post(base+"/recruiters/login?lang=fr", url.Values{"csrf": {csrfOf(t, page)}, "token": {tok}}); code != http.StatusSeeOther {
		t.Fatalf("login with an added recruiter's token: %d %v", code, hdr)
	}
	code, page, _ = br.get(base + "/recruiters/offers?lang=fr")
	if code != http.StatusOK || !strings.Contains(page, "Data scientist junior") || !strings.Contains(page, "Atlas Data Maroc") {
		t.Fatalf("recruiter's offers page: %d\n%.3000s", code, page)
	}

	// Removed, the token and the session stop working.
	if code, _ := call("DELETE", "/api/recruiters/"+url.PathEscape("Atlas Data Maroc"), admin, nil); code != http.StatusOK {
		t.Fatalf("remove: %d", code)
	}
	if resp, body := postOffer(t, a, tok, offer); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a removed recruiter's token: %d %s", resp.StatusCode, body)
	}
	if code, _, hdr := br.get(base + "/recruiters/offers?lang=fr"); code != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/recruiters/login") {
		t.Errorf("a removed recruiter's session: %d %v", code, hdr)
	}
	if code, _ := call("DELETE", "/api/recruiters/"+url.PathEscape("Atlas Data Maroc"), admin, nil); code != http.StatusNotFound {
		t.Errorf("removing twice: %d, want 404", code)
	}
}
