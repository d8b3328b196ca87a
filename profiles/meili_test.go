package profiles_test

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
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
	"unicode/utf8"

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
		s, err := profiles.OpenMeili(ctx, profiles.MeiliConfig{URL: url, Key: key, Index: uid, ManageIndex: true})
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
		{"empty", profiles.Query{Limit: 5}, nil},
		{"text words are filter terms", profiles.Query{Text: "Analystes, Python python"},
			[]string{`text_terms IN ["e:analyst", "f:analyst", "p:analystes"]`, `text_terms IN ["e:python", "f:python", "p:python"]`}},
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

func TestMeiliWindow(t *testing.T) {
	cases := []struct{ offset, limit, page, hpp, skip int }{
		{0, 50, 1, 50, 0},
		{50, 50, 2, 50, 0},
		{100, 25, 5, 25, 0},
		{10, 7, 2, 9, 1}, // hits 10..16 inside page 2 of 9 (9..17)
		{3, 1000, 1, 1003, 3},
		{1, 2, 1, 3, 1},
	}
	for _, tc := range cases {
		page, hpp, skip := profiles.MeiliWindow(tc.offset, tc.limit)
		if page != tc.page || hpp != tc.hpp || skip != tc.skip {
			t.Errorf("MeiliWindow(%d, %d) = %d, %d, %d; want %d, %d, %d", tc.offset, tc.limit, page, hpp, skip, tc.page, tc.hpp, tc.skip)
		}
	}
	// Every window is covered by its one page, of at most about twice the
	// limit (a few hits more for small limits).
	for _, limit := range []int{1, 2, 3, 5, 7, 10, 20, 25, 50, 100, 1000} {
		for offset := 0; offset < 20000; offset++ {
			page, hpp, skip := profiles.MeiliWindow(offset, limit)
			start := (page - 1) * hpp
			if start+skip != offset || skip+limit > hpp || hpp > 2*limit+8 {
				t.Fatalf("MeiliWindow(%d, %d) = page %d of %d, skip %d", offset, limit, page, hpp, skip)
			}
		}
	}
}

func TestMeiliSortKeyIsByteOrder(t *testing.T) {
	ids := []string{"b-2", "a-1", "B-1", "Z-9", "_x", "a-10", "A-2", "0-0", "é", "e"}
	byID := slices.Sorted(slices.Values(ids))
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = profiles.MeiliSortKey(id)
		if strings.ToLower(keys[i]) != keys[i] {
			t.Errorf("sort key %q has upper case: Meilisearch would fold it", keys[i])
		}
	}
	slices.Sort(keys)
	for i, k := range keys {
		if k != profiles.MeiliSortKey(byID[i]) {
			t.Fatalf("sort keys order differs from id byte order at %d", i)
		}
	}
	if k := profiles.MeiliEachKeyOf("g-0042"); k >= 1<<53 {
		t.Errorf("each key %d is not exact as a JSON number", k)
	}
}

func TestCapValue(t *testing.T) {
	long := strings.Repeat("é", 300) // 600 bytes
	got := profiles.CapValue(long)
	if len(got) > 468 || !utf8.ValidString(got) || !strings.HasPrefix(long, got) {
		t.Errorf("CapValue: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if profiles.CapValue("python") != "python" {
		t.Error("CapValue changed a short value")
	}
	filter, err := profiles.MeiliFilter(profiles.Query{Skills: []string{strings.Repeat("x", 1000)}, City: long}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range filter {
		if len(f) > 468+20 {
			t.Errorf("filter value not capped: %d bytes", len(f))
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
// the few API calls the index makes, recording them so that their shape
// and number can be checked. It does not search: a page-mode search pages
// through the documents in insertion order without filtering; only the
// "each_key >= N" and "each_key NOT EXISTS" filters of Each are applied.
// Nothing here shows that the index works against a real server.
type fakeMeili struct {
	t  *testing.T
	mu sync.Mutex

	version    string
	exists     bool
	primaryKey string
	settings   map[string]any

	calls      []string          // "METHOD path?query", in order
	bodies     map[string][]byte // last body per "METHOD path"
	docs       map[string]map[string]any
	order      []string
	addSizes   []int            // documents per add request
	failTask   map[int64]string // task uid -> error code
	stuckTasks map[int64]bool   // tasks that stay "processing"
	searches   []map[string]any // search request bodies, in order
	nextTask   int64
}

func newFakeMeili(t *testing.T) (*fakeMeili, *httptest.Server) {
	t.Helper()
	f := &fakeMeili{t: t, version: "1.12.8", bodies: map[string][]byte{}, docs: map[string]map[string]any{},
		failTask: map[int64]string{}, stuckTasks: map[int64]bool{}}
	srv := httptest.NewServer(f) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return f, srv
}

// withIndex makes the fake hold an index as this version sets it up.
func (f *fakeMeili) withIndex(t *testing.T) {
	t.Helper()
	f.exists, f.primaryKey = true, "id"
	f.settings = map[string]any{
		"filterableAttributes": []any{"skill_keys", "city_key", "country", "graduation_year", "language_keys",
			"available_on", "consent.searchable", "text_terms", "each_key", "cohort_key", "workplace_keys", "consent.recruiters"},
		"sortableAttributes": []any{"sort_id", "each_key"},
		"pagination":         map[string]any{"maxTotalHits": 20000},
	}
}

func (f *fakeMeili) task(w http.ResponseWriter) {
	f.nextTask++
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]any{"taskUid": f.nextTask, "status": "enqueued", "enqueuedAt": time.Now()})
}

func (f *fakeMeili) writes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if !strings.HasPrefix(c, "GET ") && !strings.Contains(c, "/search") && !strings.Contains(c, "/documents/fetch") {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeMeili) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := r.Header.Get("Authorization"); got != "Bearer test-key" {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "no key", "code": "missing_authorization_header"})
		return
	}
	body, _ := io.ReadAll(r.Body)
	call := r.Method + " " + r.URL.Path
	f.calls = append(f.calls, call+"?"+r.URL.RawQuery)
	f.bodies[call] = body
	w.Header().Set("Content-Type", "application/json")
	notFound := func(code string) {
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "not found", "code": code, "type": "invalid_request"})
	}
	const idx = "/indexes/profiles"
	switch path := r.URL.Path; {
	case call == "GET /version":
		_ = json.NewEncoder(w).Encode(map[string]string{"pkgVersion": f.version, "commitSha": "fake"})
	case call == "GET "+idx:
		if !f.exists {
			notFound("index_not_found")
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"uid": "profiles", "primaryKey": f.primaryKey})
	case call == "POST /indexes":
		var req struct{ UID, PrimaryKey string }
		_ = json.Unmarshal(body, &req)
		f.exists, f.primaryKey = true, req.PrimaryKey
		f.settings = map[string]any{"filterableAttributes": []any{}, "sortableAttributes": []any{},
			"pagination": map[string]any{"maxTotalHits": 1000}}
		f.task(w)
	case call == "GET "+idx+"/settings":
		_ = json.NewEncoder(w).Encode(f.settings)
	case call == "PATCH "+idx+"/settings":
		_ = json.Unmarshal(body, &f.settings)
		f.task(w)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/tasks/"):
		uid, err := strconv.ParseInt(strings.TrimPrefix(path, "/tasks/"), 10, 64)
		if err != nil || uid < 1 || uid > f.nextTask {
			notFound("task_not_found")
			return
		}
		status, code := "succeeded", ""
		if c, ok := f.failTask[uid]; ok {
			status, code = "failed", c
		}
		if f.stuckTasks[uid] {
			status = "processing"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"uid": uid, "status": status,
			"error": map[string]string{"code": code, "message": "task failed: " + code}})
	case call == "POST "+idx+"/documents":
		if r.URL.RawQuery != "" {
			f.t.Errorf("add documents with query %q: the primary key belongs to the index", r.URL.RawQuery)
		}
		var docs []map[string]any
		if err := json.Unmarshal(body, &docs); err != nil {
			f.t.Errorf("add documents body: %v", err)
		}
		f.addSizes = append(f.addSizes, len(docs))
		f.nextTask++
		if _, fail := f.failTask[f.nextTask]; !fail {
			for _, d := range docs {
				key, _ := d["id"].(string)
				if _, ok := f.docs[key]; !ok {
					f.order = append(f.order, key)
				}
				f.docs[key] = d
			}
		}
		f.nextTask--
		f.task(w)
	case call == "DELETE "+idx+"/documents":
		f.docs = map[string]map[string]any{}
		f.task(w)
	case r.Method == http.MethodGet && strings.HasPrefix(path, idx+"/documents/"):
		d, ok := f.docs[strings.TrimPrefix(path, idx+"/documents/")]
		if !ok {
			notFound("document_not_found")
			return
		}
		_ = json.NewEncoder(w).Encode(d)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, idx+"/documents/"):
		delete(f.docs, strings.TrimPrefix(path, idx+"/documents/"))
		f.task(w)
	case call == "POST "+idx+"/search":
		var req map[string]any
		if err := json.Unmarshal(body, &req); err != nil {
			f.t.Errorf("search body %s: %v", body, err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.searches = append(f.searches, req)
		var all []map[string]any
		for _, k := range f.order {
			if d, ok := f.docs[k]; ok {
				all = append(all, d)
			}
		}
		if filter, _ := req["filter"].(string); strings.HasPrefix(filter, "each_key >= ") {
			lo, _ := strconv.ParseFloat(strings.TrimPrefix(filter, "each_key >= "), 64)
			all = slices.DeleteFunc(all, func(d map[string]any) bool { k, ok := d["each_key"].(float64); return !ok || k < lo })
			slices.SortStableFunc(all, func(a, b map[string]any) int {
				return cmp.Compare(a["each_key"].(float64), b["each_key"].(float64))
			})
			limit := int(req["limit"].(float64))
			_ = json.NewEncoder(w).Encode(map[string]any{"hits": all[:min(limit, len(all))], "estimatedTotalHits": len(all)})
			return
		}
		page, _ := req["page"].(float64)
		hpp, ok := req["hitsPerPage"].(float64)
		if page < 1 || !ok {
			f.t.Errorf("search body %s: page/hitsPerPage missing", body)
		}
		from := min(int(page-1)*int(hpp), len(all))
		hits := all[from:min(from+int(hpp), len(all))]
		_ = json.NewEncoder(w).Encode(map[string]any{"hits": hits, "totalHits": len(all), "page": page, "hitsPerPage": hpp})
	case call == "POST "+idx+"/documents/fetch":
		var req struct {
			Offset, Limit int
			Filter        string
		}
		_ = json.Unmarshal(body, &req)
		if req.Filter != "each_key NOT EXISTS" {
			f.t.Errorf("documents/fetch filter %q", req.Filter)
		}
		results := []map[string]any{}
		for _, k := range f.order {
			if d, ok := f.docs[k]; ok {
				if _, has := d["each_key"]; !has {
					results = append(results, d)
				}
			}
		}
		total := len(results)
		results = results[min(req.Offset, total):min(req.Offset+req.Limit, total)]
		_ = json.NewEncoder(w).Encode(map[string]any{"results": results, "total": total, "limit": req.Limit, "offset": req.Offset})
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

func openFake(t *testing.T, srv *httptest.Server, manage bool) (*profiles.MeiliStore, error) {
	t.Helper()
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	s, err := profiles.OpenMeili(context.Background(), profiles.MeiliConfig{URL: srv.URL + "/", Key: "test-key", ManageIndex: manage,
		TaskTimeout: 2 * time.Second, Now: func() time.Time { return now }})
	if err == nil {
		t.Cleanup(func() { _ = s.Close() })
	}
	return s, err
}

// TestMeiliFakeOpenManaged: against fakeMeili (not Meilisearch), the
// managing process creates a missing index with its primary key and
// writes the settings, and writes nothing when they are already right.
func TestMeiliFakeOpenManaged(t *testing.T) {
	fake, srv := newFakeMeili(t)
	if _, err := openFake(t, srv, true); err != nil {
		t.Fatalf("OpenMeili: %v", err)
	}
	if got := fake.body(t, "POST /indexes"); got["uid"] != "profiles" || got["primaryKey"] != "id" {
		t.Errorf("create index body %v", got)
	}
	settings := fake.body(t, "PATCH /indexes/profiles/settings")
	for _, attr := range []string{"skill_keys", "city_key", "country", "graduation_year", "language_keys", "available_on", "consent.searchable", "text_terms", "each_key"} {
		if !slices.Contains(toStrings(settings["filterableAttributes"]), attr) {
			t.Errorf("filterableAttributes %v lack %q", settings["filterableAttributes"], attr)
		}
	}
	for _, raw := range []string{"skills", "city", "languages"} {
		if slices.Contains(toStrings(settings["filterableAttributes"]), raw) {
			t.Errorf("raw field %q is filterable: its values are not capped", raw)
		}
	}
	if got := toStrings(settings["sortableAttributes"]); !slices.Equal(got, []string{"sort_id", "each_key"}) {
		t.Errorf("sortableAttributes = %v", got)
	}
	if p, _ := settings["pagination"].(map[string]any); p["maxTotalHits"] != float64(20000) {
		t.Errorf("pagination = %v, want maxTotalHits 20000", settings["pagination"])
	}
	before := len(fake.writes())
	if _, err := openFake(t, srv, true); err != nil {
		t.Fatalf("second OpenMeili: %v", err)
	}
	if w := fake.writes(); len(w) != before {
		t.Errorf("a second open with the index in place wrote %v", w[before:])
	}
}

// TestMeiliFakeOpenVerifyOnly: against fakeMeili (not Meilisearch), a
// process without ManageIndex never writes the index and says what is
// wrong.
func TestMeiliFakeOpenVerifyOnly(t *testing.T) {
	t.Run("missing index", func(t *testing.T) {
		fake, srv := newFakeMeili(t)
		_, err := openFake(t, srv, false)
		if err == nil || !strings.Contains(err.Error(), `no index "profiles"`) {
			t.Errorf("OpenMeili = %v, want a missing-index error", err)
		}
		if w := fake.writes(); len(w) > 0 {
			t.Errorf("verify-only open wrote %v", w)
		}
	})
	t.Run("index of an earlier version", func(t *testing.T) {
		fake, srv := newFakeMeili(t)
		fake.withIndex(t)
		fake.settings["sortableAttributes"] = []any{"profile_id"}
		_, err := openFake(t, srv, false)
		if err == nil || !strings.Contains(err.Error(), "sortable sort_id") {
			t.Errorf("OpenMeili = %v, want a settings error naming sort_id", err)
		}
		if w := fake.writes(); len(w) > 0 {
			t.Errorf("verify-only open wrote %v", w)
		}
	})
	t.Run("other primary key", func(t *testing.T) {
		fake, srv := newFakeMeili(t)
		fake.withIndex(t)
		fake.primaryKey = "uuid"
		for _, manage := range []bool{false, true} {
			_, err := openFake(t, srv, manage)
			if err == nil || !strings.Contains(err.Error(), `primary key "uuid"`) {
				t.Errorf("OpenMeili (manage %v) = %v, want a primary key error", manage, err)
			}
		}
		if w := fake.writes(); len(w) > 0 {
			t.Errorf("open with a foreign index wrote %v", w)
		}
	})
	t.Run("index in place", func(t *testing.T) {
		fake, srv := newFakeMeili(t)
		fake.withIndex(t)
		fake.settings["pagination"] = map[string]any{"maxTotalHits": 5}
		// Granular filterable attributes (v1.14) are read too.
		fake.settings["filterableAttributes"] = append(fake.settings["filterableAttributes"].([]any)[1:],
			map[string]any{"attributePatterns": []any{"skill_keys"}, "features": map[string]any{}})
		if _, err := openFake(t, srv, false); err != nil {
			t.Fatalf("OpenMeili: %v", err)
		}
		if w := fake.writes(); len(w) > 0 {
			t.Errorf("verify-only open wrote %v", w)
		}
	})
}

// TestMeiliFakeVersion: against fakeMeili (not Meilisearch), servers
// older than v1.12 or not answering /version are refused at open.
func TestMeiliFakeVersion(t *testing.T) {
	for _, tc := range []struct {
		version, want string
	}{
		{"1.11.3", "needs v1.12 or later"},
		{"0.30.5", "needs v1.12 or later"},
		{"nightly", "not a version number"},
		{"1.12.0", ""},
		{"1.13.0-rc.1", ""},
		{"2.0.0", ""},
	} {
		fake, srv := newFakeMeili(t)
		fake.version = tc.version
		_, err := openFake(t, srv, true)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("version %s: %v", tc.version, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("version %s: %v, want %q", tc.version, err, tc.want)
		}
		if tc.want != "" && len(fake.writes()) > 0 {
			t.Errorf("version %s: wrote %v before refusing", tc.version, fake.writes())
		}
	}
}

// TestMeiliFakeUnreachable: a server that is down, not Meilisearch, or
// refuses the key gives a clear error at open, never a panic. Only
// 127.0.0.1 is contacted.
func TestMeiliFakeUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	hangup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer hangup.Close()
	notMeili := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>bad gateway</html>")
	}))
	defer notMeili.Close()
	_, keyed := newFakeMeili(t)
	for _, tc := range []struct{ url, key, want string }{
		{down, "test-key", "unreachable"},
		{hangup.URL, "test-key", "unreachable"},
		{notMeili.URL, "test-key", "status 502"},
		{keyed.URL, "wrong-key", "refused the API key"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		s, err := profiles.OpenMeili(ctx, profiles.MeiliConfig{URL: tc.url, Key: tc.key, ManageIndex: true, RequestTimeout: 3 * time.Second})
		cancel()
		if err == nil || s != nil {
			t.Errorf("OpenMeili(%s) = %v, %v; want an error", tc.url, s, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.url) {
			t.Errorf("OpenMeili(%s) = %v; want %q and the URL", tc.url, err, tc.want)
		}
	}
}

// TestMeiliFakeRequestShapes checks what the index sends and how it reads
// the answers, against fakeMeili. It is not a test against Meilisearch.
func TestMeiliFakeRequestShapes(t *testing.T) {
	fake, srv := newFakeMeili(t)
	ctx := context.Background()
	s, err := openFake(t, srv, true)
	if err != nil {
		t.Fatalf("OpenMeili: %v", err)
	}

	p := profiles.Profile{ID: "ensao:17", Name: "Imane", Email: "imane@example.org", City: "Fès", Country: "MA", Headline: "Analystes",
		Skills: []string{"Python", "Scikit-Learn", strings.Repeat("long", 200)}, Languages: []string{"FR"}, Availability: "2026-06-01"}
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
	if d["id"] != "ensao_3A17" || d["profile_id"] != "ensao:17" || d["sort_id"] != "656e73616f3a3137" || d["city_key"] != "fes" ||
		d["available_on"] != float64(20605) || d["each_key"] != float64(profiles.MeiliEachKeyOf("ensao:17")) ||
		!slices.Equal(toStrings(d["language_keys"]), []string{"fr"}) || d["updated_at"] != "2026-05-10T12:00:00Z" {
		t.Errorf("document sent = %v", d)
	}
	keys := toStrings(d["skill_keys"])
	// Labels folded and capped at 468 bytes, and the taxonomy ids.
	if !slices.Equal(keys, []string{"id:python", "id:scikit-learn", strings.Repeat("long", 117), "python", "scikit learn"}) {
		t.Errorf("skill_keys = %q, want labels capped at 468 bytes and taxonomy ids", keys)
	}
	terms := toStrings(d["text_terms"])
	for _, want := range []string{"p:imane", "p:analystes", "f:analyst", "e:analyst", "p:scikit", "p:learn", "p:python"} {
		if !slices.Contains(terms, want) {
			t.Errorf("text_terms %v lack %q", terms, want)
		}
	}
	for _, term := range terms {
		if len(term) > 468 {
			t.Errorf("text term of %d bytes", len(term))
		}
	}

	got, err := s.Get(ctx, "ensao:17")
	if err != nil || got.ID != "ensao:17" || got.Name != "Imane" || got.City != "Fès" {
		t.Errorf("Get = %+v, %v", got, err)
	}
	if _, err := s.Get(ctx, "nobody"); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("Get unknown = %v, want ErrNotFound", err)
	}

	fake.mu.Lock()
	fake.searches = nil
	fake.mu.Unlock()
	res, err := s.Search(ctx, profiles.Query{Text: "imane", Skills: []string{"python"}, City: "fes", Limit: 7, Offset: 10})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if res.Total != 1 || len(res.Profiles) != 0 {
		t.Errorf("Search offset 10 of 1 hit = %+v", res)
	}
	fake.mu.Lock()
	searches := fake.searches
	fake.mu.Unlock()
	if len(searches) != 1 {
		t.Fatalf("offset 10 limit 7 made %d searches, want 1", len(searches))
	}
	sb := searches[0]
	if sb["q"] != "" || sb["page"] != float64(2) || sb["hitsPerPage"] != float64(9) ||
		!slices.Equal(toStrings(sb["sort"]), []string{"sort_id:asc"}) ||
		!slices.Equal(toStrings(sb["filter"]), []string{`skill_keys = "python"`, `city_key = "fes"`, `text_terms IN ["e:iman", "f:iman", "p:imane"]`}) {
		t.Errorf("search body = %v", sb)
	}
	for _, k := range []string{"limit", "offset", "matchingStrategy"} {
		if _, ok := sb[k]; ok {
			t.Errorf("search body has %s: %v", k, sb)
		}
	}
	res, err = s.Search(ctx, profiles.Query{})
	if err != nil || res.Total != 1 || len(res.Profiles) != 1 || res.Profiles[0].ID != "ensao:17" {
		t.Errorf("Search all = %+v, %v", res, err)
	}
	// Past maxTotalHits only the total is asked for.
	res, err = s.Search(ctx, profiles.Query{Offset: 25000})
	if err != nil || res.Total != 1 || len(res.Profiles) != 0 {
		t.Errorf("Search offset 25000 = %+v, %v", res, err)
	}
	if sb := fake.body(t, "POST /indexes/profiles/search"); sb["hitsPerPage"] != float64(0) {
		t.Errorf("search past maxTotalHits = %v, want hitsPerPage 0", sb)
	}

	var each []string
	if err := s.Each(ctx, func(p profiles.Profile) error { each = append(each, p.ID); return nil }); err != nil || !slices.Equal(each, []string{"ensao:17"}) {
		t.Errorf("Each = %v, %v", each, err)
	}
	if sb := fake.body(t, "POST /indexes/profiles/search"); sb["filter"] != "each_key >= 0" || !slices.Equal(toStrings(sb["sort"]), []string{"each_key:asc"}) {
		t.Errorf("Each search body = %v", sb)
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

	if err := s.Reset(ctx); err != nil {
		t.Errorf("Reset: %v", err)
	}
}

// TestMeiliFakeChunks: against fakeMeili (not Meilisearch), a put of 2500
// profiles is three tasks of at most 1000 documents, each awaited; a
// failed task stops the put with an error saying what was applied.
func TestMeiliFakeChunks(t *testing.T) {
	fake, srv := newFakeMeili(t)
	s, err := openFake(t, srv, true)
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]profiles.Profile, 2500)
	for i := range ps {
		ps[i] = profiles.Profile{ID: fmt.Sprintf("c%04d", i)}
	}
	if err := s.Put(context.Background(), ps...); err != nil {
		t.Fatalf("Put: %v", err)
	}
	fake.mu.Lock()
	sizes := fake.addSizes
	fake.addSizes = nil
	fake.failTask[fake.nextTask+2] = "internal"
	fake.mu.Unlock()
	if !slices.Equal(sizes, []int{1000, 1000, 500}) {
		t.Errorf("documents per task = %v, want [1000 1000 500]", sizes)
	}
	err = s.Put(context.Background(), ps...)
	if err == nil || !strings.Contains(err.Error(), "put profiles 1001-2000 of 2500 (the first 1000 are applied)") {
		t.Errorf("Put with failing second task = %v", err)
	}
	fake.mu.Lock()
	sizes = fake.addSizes
	fake.mu.Unlock()
	if !slices.Equal(sizes, []int{1000, 1000}) {
		t.Errorf("documents per task after a failure = %v, want [1000 1000] (stop at the failure)", sizes)
	}
}

// TestMeiliFakeTaskTimeout: against fakeMeili (not Meilisearch), a task
// still processing when the wait ends is an error saying it may apply.
func TestMeiliFakeTaskTimeout(t *testing.T) {
	fake, srv := newFakeMeili(t)
	s, err := openFake(t, srv, true)
	if err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	fake.stuckTasks[fake.nextTask+1] = true
	fake.mu.Unlock()
	err = s.Put(context.Background(), profiles.Profile{ID: "slow"})
	if err == nil || !strings.Contains(err.Error(), "still processing") || !strings.Contains(err.Error(), "may still apply") {
		t.Errorf("Put with a stuck task = %v", err)
	}
}

// TestMeiliFakeConcurrent: against fakeMeili (not Meilisearch), puts,
// searches, gets and deletes from several goroutines share one store
// without a data race (run with -race); the client's shared index value
// is never written after open.
func TestMeiliFakeConcurrent(t *testing.T) {
	_, srv := newFakeMeili(t)
	s, err := openFake(t, srv, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				id := fmt.Sprintf("w%d-%02d", w, i)
				if err := s.Put(ctx, profiles.Profile{ID: id, Skills: []string{"Go"}}); err != nil {
					t.Errorf("Put: %v", err)
				}
				if _, err := s.Get(ctx, id); err != nil {
					t.Errorf("Get: %v", err)
				}
			}
		})
		wg.Go(func() {
			for range 25 {
				if _, err := s.Search(ctx, profiles.Query{Skills: []string{"go"}, Text: "x"}); err != nil {
					t.Errorf("Search: %v", err)
				}
			}
			if err := s.Delete(ctx, fmt.Sprintf("w%d-00", w)); err != nil {
				t.Errorf("Delete: %v", err)
			}
		})
	}
	wg.Wait()
}

// TestMeiliFakeEachPages: against fakeMeili (not Meilisearch), Each reads
// several pages by each_key and then the documents an earlier version
// wrote without it, each once.
func TestMeiliFakeEachPages(t *testing.T) {
	fake, srv := newFakeMeili(t)
	s, err := openFake(t, srv, true)
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]profiles.Profile, 2300)
	for i := range ps {
		ps[i] = profiles.Profile{ID: fmt.Sprintf("e%04d", i)}
	}
	if err := s.Put(context.Background(), ps...); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	for i := range 3 {
		key := fmt.Sprintf("old%d", i)
		fake.docs[key] = map[string]any{"id": key, "profile_id": key, "name": "from v0"}
		fake.order = append(fake.order, key)
	}
	fake.searches = nil
	fake.mu.Unlock()
	seen := map[string]int{}
	if err := s.Each(context.Background(), func(p profiles.Profile) error { seen[p.ID]++; return nil }); err != nil {
		t.Fatalf("Each: %v", err)
	}
	if len(seen) != 2303 {
		t.Errorf("Each gave %d profiles, want 2303", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("Each gave %s %d times", id, n)
		}
	}
	fake.mu.Lock()
	n := len(fake.searches)
	fake.mu.Unlock()
	if n != 3 {
		t.Errorf("Each made %d searches for 2300 documents, want 3", n)
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
		`|graduation_year = -?\d+|available_on <= -?\d+|consent\.searchable = true` +
		`|text_terms IN \[` + quoted + `(?:, ` + quoted + `)*\])$`)
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, skill, city, country, lang, avail string) {
		q := profiles.Query{Skills: []string{skill, "go"}, City: city, Country: country, Languages: []string{lang}, Availability: avail, OnlySearchable: true,
			Text: skill + " " + city}
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
