package profiles_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

// TestMeiliStore runs the conformance suite against a real Meilisearch
// server given by MEILI_URL (MEILI_KEY optional). Each store gets its own
// index, deleted afterwards.
func TestMeiliStore(t *testing.T) {
	url := os.Getenv("MEILI_URL")
	if url == "" {
		t.Skip("MEILI_URL not set: Meilisearch store not tested")
	}
	key := os.Getenv("MEILI_KEY")
	storetest.Run(t, func(t *testing.T) profiles.Store {
		uid := "profiles_test_" + strings.ToLower(rand.Text())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		s, err := profiles.OpenMeili(ctx, profiles.MeiliConfig{URL: url, Key: key, Index: uid})
		if err != nil {
			t.Fatalf("OpenMeili: %v", err)
		}
		t.Cleanup(func() {
			opts := []meilisearch.Option{}
			if key != "" {
				opts = append(opts, meilisearch.WithAPIKey(key))
			}
			if _, err := meilisearch.New(url, opts...).DeleteIndex(uid); err != nil {
				t.Logf("delete test index %s: %v", uid, err)
			}
		})
		return s
	})
}

func TestMeiliFilter(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC) // day 20583
	cases := []struct {
		name string
		q    profiles.Query
		want []string
	}{
		{"empty", profiles.Query{Text: "python", Limit: 5}, nil},
		{"skills folded, sorted, deduplicated", profiles.Query{Skills: []string{"SQL", "Données", "sql", " "}},
			[]string{`skill_keys = "donnees"`, `skill_keys = "sql"`}},
		{"city and country", profiles.Query{City: "Fès", Country: "ma"}, []string{`city_key = "fes"`, `country = "MA"`}},
		{"year and languages", profiles.Query{GraduationYear: 2025, Languages: []string{"EN", "fr"}},
			[]string{"graduation_year = 2025", `language_keys = "en"`, `language_keys = "fr"`}},
		{"immediate is today", profiles.Query{Availability: "immediate"}, []string{"available_on <= 20583"}},
		{"a date", profiles.Query{Availability: "2026-06-01"}, []string{"available_on <= 20605"}},
		{"searchable", profiles.Query{OnlySearchable: true}, []string{"consent.searchable = true"}},
		{"quotes cannot escape the value", profiles.Query{Skills: []string{`x" OR skills EXISTS OR "`}, Country: `M"A`},
			[]string{`skill_keys = "x or skills exists or"`, `country = "M\"A"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := profiles.MeiliFilter(tc.q, now)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("filter = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := profiles.MeiliFilter(profiles.Query{Availability: "tomorrow"}, now); !errors.Is(err, profiles.ErrInvalid) {
		t.Errorf("bad availability: %v, want ErrInvalid", err)
	}
}

func TestMeiliQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"python", `"python"`},
		{`a"b`, `"a\"b"`},
		{`a\`, `"a\\"`},
		{`\"`, `"\\\""`},
	}
	for _, tc := range cases {
		if got := profiles.MeiliQuote(tc.in); got != tc.want {
			t.Errorf("MeiliQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestMeiliKey(t *testing.T) {
	cases := []struct{ in, want string }{
		{"g-0042", "g-0042"},
		{"ABC-xyz-09", "ABC-xyz-09"},
		{"g_1", "g_5F1"},
		{"ensao:2023:17", "ensao_3A2023_3A17"},
		{"é", "_C3_A9"},
		{"a?b#c%", "a_3Fb_23c_25"},
	}
	safe := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	seen := map[string]string{}
	for _, tc := range cases {
		got := profiles.MeiliKey(tc.in)
		if got != tc.want {
			t.Errorf("MeiliKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !safe.MatchString(got) {
			t.Errorf("MeiliKey(%q) = %q has characters Meilisearch refuses", tc.in, got)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("MeiliKey(%q) = MeiliKey(%q) = %q", tc.in, other, got)
		}
		seen[got] = tc.in
	}
	// The escape character itself is escaped, so a literal "_5F" differs.
	if profiles.MeiliKey("_5F") == profiles.MeiliKey("_") {
		t.Error("MeiliKey is not one-to-one")
	}
}

func TestMeiliPage(t *testing.T) {
	cases := []struct{ offset, limit, page, skip int }{
		{0, 50, 1, 0},
		{50, 50, 2, 0},
		{100, 25, 5, 0},
		{10, 7, 2, 3}, // hits 10..16 = page 2 (7..13) from its 4th hit, then page 3
		{3, 1000, 1, 3},
		{1 << 30, 1000, 1<<30/1000 + 1, 1 << 30 % 1000},
	}
	for _, tc := range cases {
		page, skip := profiles.MeiliPage(tc.offset, tc.limit)
		if page != tc.page || skip != tc.skip {
			t.Errorf("MeiliPage(%d, %d) = %d, %d; want %d, %d", tc.offset, tc.limit, page, skip, tc.page, tc.skip)
		}
	}
}

func TestMeiliConfigValidate(t *testing.T) {
	cases := []struct {
		cfg profiles.MeiliConfig
		ok  bool
	}{
		{profiles.MeiliConfig{URL: "http://127.0.0.1:7700"}, true},
		{profiles.MeiliConfig{URL: "https://search.example.org", Index: "profiles_v2"}, true},
		{profiles.MeiliConfig{}, false},
		{profiles.MeiliConfig{URL: "127.0.0.1:7700"}, false},
		{profiles.MeiliConfig{URL: "ftp://x"}, false},
		{profiles.MeiliConfig{URL: "http://x", Index: "a/b"}, false},
	}
	for _, tc := range cases {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("Validate(%+v) = %v, want ok %v", tc.cfg, err, tc.ok)
		}
	}
}

// fakeMeili is NOT Meilisearch: an httptest server on 127.0.0.1 answering
// the few API calls the store makes, recording the requests so their shape
// can be checked. It does not search; it returns the documents it holds.
type fakeMeili struct {
	t        *testing.T
	mu       sync.Mutex
	bodies   map[string][]byte // last body per "METHOD path"
	docs     map[string]json.RawMessage
	order    []string
	failTask map[int]string // task uid -> error code
	searches [][]byte       // search request bodies, in order
	nextTask int
}

func newFakeMeili(t *testing.T) (*fakeMeili, *httptest.Server) {
	f := &fakeMeili{t: t, bodies: map[string][]byte{}, docs: map[string]json.RawMessage{}, failTask: map[int]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeMeili) task(w http.ResponseWriter) {
	f.nextTask++
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]any{"taskUid": f.nextTask, "status": "enqueued", "enqueuedAt": time.Now()})
}

func (f *fakeMeili) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := r.Header.Get("Authorization"); got != "Bearer test-key" {
		f.t.Errorf("%s %s: Authorization %q", r.Method, r.URL.Path, got)
	}
	body, _ := io.ReadAll(r.Body)
	f.bodies[r.Method+" "+r.URL.Path] = body
	w.Header().Set("Content-Type", "application/json")
	notFound := func(code string) {
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "not found", "code": code, "type": "invalid_request"})
	}
	switch path := r.URL.Path; {
	case r.Method == http.MethodPost && path == "/indexes":
		f.task(w)
	case r.Method == http.MethodPatch && path == "/indexes/profiles/settings":
		f.task(w)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/tasks/"):
		uid, err := strconv.Atoi(strings.TrimPrefix(path, "/tasks/"))
		if err != nil || uid < 1 || uid > f.nextTask {
			notFound("task_not_found")
			return
		}
		status, code := "succeeded", ""
		if c, ok := f.failTask[uid]; ok {
			status, code = "failed", c
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"uid": uid, "status": status,
			"error": map[string]string{"code": code, "message": "task failed: " + code}})
	case r.Method == http.MethodPost && path == "/indexes/profiles/documents":
		if r.URL.Query().Get("primaryKey") != "id" {
			f.t.Errorf("add documents: primaryKey %q", r.URL.Query().Get("primaryKey"))
		}
		var docs []map[string]json.RawMessage
		if err := json.Unmarshal(body, &docs); err != nil {
			f.t.Errorf("add documents body: %v", err)
		}
		for _, d := range docs {
			var key string
			_ = json.Unmarshal(d["id"], &key)
			raw, _ := json.Marshal(d)
			if _, ok := f.docs[key]; !ok {
				f.order = append(f.order, key)
			}
			f.docs[key] = raw
		}
		f.task(w)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/indexes/profiles/documents/"):
		d, ok := f.docs[strings.TrimPrefix(path, "/indexes/profiles/documents/")]
		if !ok {
			notFound("document_not_found")
			return
		}
		_, _ = w.Write(d)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/indexes/profiles/documents/"):
		delete(f.docs, strings.TrimPrefix(path, "/indexes/profiles/documents/"))
		f.task(w)
	case r.Method == http.MethodPost && path == "/indexes/profiles/search":
		// Pages through the documents in insertion order; no filtering.
		var req struct {
			Page        int `json:"page"`
			HitsPerPage int `json:"hitsPerPage"`
		}
		if err := json.Unmarshal(body, &req); err != nil || req.Page < 1 || req.HitsPerPage < 0 {
			f.t.Errorf("search body %s: page/hitsPerPage missing (%v)", body, err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.searches = append(f.searches, body)
		all := []json.RawMessage{}
		for _, k := range f.order {
			if d, ok := f.docs[k]; ok {
				all = append(all, d)
			}
		}
		from := min((req.Page-1)*req.HitsPerPage, len(all))
		hits := all[from:min(from+req.HitsPerPage, len(all))]
		_ = json.NewEncoder(w).Encode(map[string]any{"hits": hits, "totalHits": len(all), "page": req.Page, "hitsPerPage": req.HitsPerPage})
	case r.Method == http.MethodPost && path == "/indexes/profiles/documents/fetch":
		var results []json.RawMessage
		for _, k := range f.order {
			if d, ok := f.docs[k]; ok {
				results = append(results, d)
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"results": results, "total": len(results), "limit": 1000})
	default:
		notFound("unexpected_call")
		f.t.Errorf("unexpected call %s %s", r.Method, r.URL)
	}
}

func (f *fakeMeili) body(t *testing.T, key string) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	var m map[string]any
	if err := json.Unmarshal(f.bodies[key], &m); err != nil {
		t.Fatalf("body of %s: %v (%s)", key, err, f.bodies[key])
	}
	return m
}

// TestMeiliRequestShapes checks what the store sends and how it reads the
// answers, against fakeMeili. It is not a test against a real Meilisearch.
func TestMeiliRequestShapes(t *testing.T) {
	fake, srv := newFakeMeili(t)
	fake.failTask[1] = "index_already_exists" // the index exists: not an error
	ctx := context.Background()
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	s, err := profiles.OpenMeili(ctx, profiles.MeiliConfig{URL: srv.URL + "/", Key: "test-key", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("OpenMeili: %v", err)
	}
	defer s.Close()

	if got := fake.body(t, "POST /indexes"); got["uid"] != "profiles" || got["primaryKey"] != "id" {
		t.Errorf("create index body %v", got)
	}
	settings := fake.body(t, "PATCH /indexes/profiles/settings")
	for _, attr := range []string{"skills", "skill_keys", "city", "city_key", "country", "graduation_year", "languages", "availability", "available_on", "consent.searchable"} {
		if !slices.Contains(toStrings(settings["filterableAttributes"]), attr) {
			t.Errorf("filterableAttributes %v lack %q", settings["filterableAttributes"], attr)
		}
	}
	if got := toStrings(settings["searchableAttributes"]); !slices.Equal(got, []string{"name", "headline", "skills"}) {
		t.Errorf("searchableAttributes = %v", got)
	}
	if got := toStrings(settings["sortableAttributes"]); !slices.Equal(got, []string{"profile_id"}) {
		t.Errorf("sortableAttributes = %v", got)
	}

	p := profiles.Profile{ID: "ensao:17", Name: "Imane", Email: "imane@example.org", City: "Fès", Country: "MA",
		Skills: []string{"Python", "Scikit-Learn"}, Languages: []string{"FR"}, Availability: "2026-06-01"}
	if err := s.Put(ctx, p); err != nil {
		t.Fatalf("Put: %v", err)
	}
	var docs []map[string]any
	fake.mu.Lock()
	_ = json.Unmarshal(fake.bodies["POST /indexes/profiles/documents"], &docs)
	fake.mu.Unlock()
	if len(docs) != 1 {
		t.Fatalf("documents sent: %v", docs)
	}
	d := docs[0]
	if d["id"] != "ensao_3A17" || d["profile_id"] != "ensao:17" || d["city_key"] != "fes" || d["available_on"] != float64(20605) ||
		!slices.Equal(toStrings(d["skill_keys"]), []string{"python", "scikit learn"}) || !slices.Equal(toStrings(d["language_keys"]), []string{"fr"}) ||
		d["updated_at"] != "2026-05-10T12:00:00Z" {
		t.Errorf("document sent = %v", d)
	}

	got, err := s.Get(ctx, "ensao:17")
	if err != nil || got.ID != "ensao:17" || got.Name != "Imane" || got.City != "Fès" {
		t.Errorf("Get = %+v, %v", got, err)
	}
	if _, err := s.Get(ctx, "nobody"); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("Get unknown = %v, want ErrNotFound", err)
	}

	res, err := s.Search(ctx, profiles.Query{Text: "imane", Skills: []string{"python"}, City: "fes", Limit: 7, Offset: 10})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if res.Total != 1 || len(res.Profiles) != 0 {
		t.Errorf("Search offset 10 of 1 hit = %+v", res)
	}
	sb := fake.body(t, "POST /indexes/profiles/search")
	if sb["q"] != "imane" || sb["matchingStrategy"] != "all" || sb["page"] != float64(2) || sb["hitsPerPage"] != float64(7) ||
		!slices.Equal(toStrings(sb["sort"]), []string{"profile_id:asc"}) ||
		!slices.Equal(toStrings(sb["filter"]), []string{`skill_keys = "python"`, `city_key = "fes"`}) {
		t.Errorf("search body = %v", sb)
	}
	for _, k := range []string{"limit", "offset"} {
		if _, ok := sb[k]; ok {
			t.Errorf("search body mixes %s with page: %v", k, sb)
		}
	}
	res, err = s.Search(ctx, profiles.Query{})
	if err != nil || res.Total != 1 || len(res.Profiles) != 1 || res.Profiles[0].ID != "ensao:17" {
		t.Errorf("Search all = %+v, %v", res, err)
	}
	if sb := fake.body(t, "POST /indexes/profiles/search"); sb["filter"] != nil || sb["page"] != float64(1) || sb["hitsPerPage"] != float64(50) {
		t.Errorf("empty query body = %v", sb)
	}

	// An offset that is not a multiple of the limit reads two pages.
	var more []profiles.Profile
	for _, id := range []string{"m1", "m2", "m3", "m4"} {
		more = append(more, profiles.Profile{ID: id})
	}
	if err := s.Put(ctx, more...); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	fake.searches = nil
	fake.mu.Unlock()
	res, err = s.Search(ctx, profiles.Query{Limit: 2, Offset: 1})
	if got := profileIDs(res.Profiles); err != nil || res.Total != 5 || !slices.Equal(got, []string{"m1", "m2"}) {
		t.Errorf("Search limit 2 offset 1 = %v (total %d), %v; want [m1 m2] of 5", got, res.Total, err)
	}
	fake.mu.Lock()
	var pages []string
	for _, b := range fake.searches {
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		pages = append(pages, fmt.Sprint(m["page"], "x", m["hitsPerPage"]))
	}
	fake.mu.Unlock()
	if !slices.Equal(pages, []string{"1x2", "2x2"}) {
		t.Errorf("pages requested %v, want [1x2 2x2]", pages)
	}
	for _, id := range []string{"m1", "m2", "m3", "m4"} {
		if err := s.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}

	var each []string
	if err := s.Each(ctx, func(p profiles.Profile) error { each = append(each, p.ID); return nil }); err != nil || !slices.Equal(each, []string{"ensao:17"}) {
		t.Errorf("Each = %v, %v", each, err)
	}

	if err := s.Delete(ctx, "ensao:17"); err != nil {
		t.Errorf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, "ensao:17"); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("Get after Delete = %v", err)
	}

	// A failed task is an error, and the message carries no profile data.
	fake.mu.Lock()
	fake.failTask[fake.nextTask+1] = "invalid_document_fields"
	fake.mu.Unlock()
	err = s.Put(ctx, p)
	if err == nil || !strings.Contains(err.Error(), "invalid_document_fields") {
		t.Errorf("Put with failing task = %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "imane@example.org") {
		t.Errorf("error leaks profile data: %v", err)
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// FuzzMeiliFilter checks that no query value can break out of its quoted
// filter value (filter injection) or crash the builder.
func FuzzMeiliFilter(f *testing.F) {
	f.Add("Python", "Fès", "ma", "fr", "2026-06-01")
	f.Add(`x" OR country = "FR`, `\`, `"`, `\"`, "immediate")
	f.Add("", "", "", "", "")
	quoted := `"(?:[^"\\]|\\.)*"`
	valid := regexp.MustCompile(`^(?:(?:skill_keys|city_key|country|language_keys) = ` + quoted +
		`|graduation_year = -?\d+|available_on <= -?\d+|consent\.searchable = true)$`)
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, skill, city, country, lang, avail string) {
		q := profiles.Query{Skills: []string{skill, "go"}, City: city, Country: country, Languages: []string{lang}, Availability: avail, OnlySearchable: true}
		filter, err := profiles.MeiliFilter(q, now)
		if err != nil {
			if !errors.Is(err, profiles.ErrInvalid) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, cond := range filter {
			if !valid.MatchString(cond) {
				t.Errorf("filter condition %q is not a single well-formed comparison", cond)
			}
		}
	})
}
