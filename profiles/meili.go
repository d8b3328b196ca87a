package profiles

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// MeiliConfig configures the Meilisearch index. Only URL is required.
//
// The index is derived from the profiles bucket (see Indexer): several
// processes may open it, but only the one given ManageIndex (the serving
// process, whose indexer keeps it) creates it and writes its settings;
// the others check it once at open and fail with a clear error when it is
// missing or not configured for this version.
type MeiliConfig struct {
	// URL of the Meilisearch server, e.g. http://127.0.0.1:7700.
	URL string
	// Key is the API key; optional (a server without a master key needs none).
	Key string
	// Index is the index uid. Default "profiles".
	Index string
	// ManageIndex lets this process create the index and write its
	// settings when they differ from what this version needs. Without it
	// the index is only verified.
	ManageIndex bool
	// RequestTimeout bounds each HTTP request. Default 30s.
	RequestTimeout time.Duration
	// TaskTimeout bounds the wait for one indexing task. Meilisearch runs
	// the tasks of all its indexes one at a time, so a task may wait
	// behind others; default 5 minutes. A task that is still pending when
	// the wait ends may apply later: the caller (the indexer) retries.
	TaskTimeout time.Duration
	// MaxTotalHits is the index's pagination.maxTotalHits: a search counts
	// and pages through at most this many matches (Result.Total is capped
	// at it). Default 20000; Meilisearch's documentation warns that
	// higher values make searches matching many documents slow.
	MaxTotalHits int64
	// Now gives the current time, for UpdatedAt and "immediate"
	// availability. Default time.Now.
	Now func() time.Time
	// HTTPClient replaces the default client (whose timeout is
	// RequestTimeout).
	HTTPClient *http.Client
}

// Defaults and limits of the Meilisearch index.
const (
	DefaultMeiliIndex        = "profiles"
	defaultMeiliRequest      = 30 * time.Second
	defaultMeiliTaskTimeout  = 5 * time.Minute
	defaultMeiliMaxTotalHits = 20000
	meiliPollFirst           = 20 * time.Millisecond
	meiliPollMax             = time.Second
	// meiliBatchSize is the most documents sent in one task.
	meiliBatchSize = 1000
	// meiliEachPage is how many documents Each reads per search.
	meiliEachPage = 1000
)

// MeiliMinVersion is the oldest Meilisearch server the index works with.
const MeiliMinVersion = "1.12"

var meiliMinMajor, meiliMinMinor = 1, 12

func (c *MeiliConfig) setDefaults() {
	if c.Index == "" {
		c.Index = DefaultMeiliIndex
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = defaultMeiliRequest
	}
	if c.TaskTimeout <= 0 {
		c.TaskTimeout = defaultMeiliTaskTimeout
	}
	if c.MaxTotalHits <= 0 {
		c.MaxTotalHits = defaultMeiliMaxTotalHits
	}
}

// Validate reports a configuration the index cannot use.
func (c MeiliConfig) Validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("profiles: meilisearch URL %q: must be an http or https URL such as http://127.0.0.1:7700", c.URL)
	}
	if c.Index != "" && !isMeiliSafe(c.Index) {
		return fmt.Errorf("profiles: meilisearch index %q: use only letters, digits, '-' and '_'", c.Index)
	}
	return nil
}

// Attributes of the Meilisearch documents. The document is the Profile JSON
// plus derived fields; "id" holds the document key (see meiliKey) and
// "profile_id" the profile's own id.
const (
	meiliPrimaryKey   = "id"
	meiliProfileID    = "profile_id"
	meiliSkillKeys    = "skill_keys"
	meiliCityKey      = "city_key"
	meiliLanguageKeys = "language_keys"
	meiliAvailableOn  = "available_on"
	meiliTextTerms    = "text_terms"
	meiliCohortKey    = "cohort_key"
	meiliWorkplace    = "workplace_keys"
	meiliRecruiters   = "consent.recruiters"
	meiliSeniority    = "seniority_keys"
	meiliUpdated      = "updated_unix"
	// meiliSortID is the hex of the profile id: Meilisearch compares
	// strings case-insensitively, hex digits have one case, and the hex
	// order is the byte order of the ids, Bleve's order.
	meiliSortID = "sort_id"
	// meiliEachKey is a 53-bit hash of the profile id, exact as a JSON
	// number: Each pages by it (each_key >= last), which neither skips nor
	// repeats documents when others are written meanwhile.
	meiliEachKey = "each_key"
)

// meiliFilterable and meiliSortable are the attributes the index filters
// and sorts on. Raw profile fields (skills, city) are not filterable: only
// their capped keys are.
var (
	meiliFilterable = []string{
		meiliSkillKeys, meiliCityKey, "country", "graduation_year", meiliLanguageKeys,
		meiliAvailableOn, "consent.searchable", meiliTextTerms, meiliEachKey,
		meiliCohortKey, meiliWorkplace, meiliRecruiters, meiliSeniority,
	}
	// meiliFacets maps facet names to the attributes counted.
	meiliFacets = map[string]string{
		FacetSkill: meiliSkillKeys, FacetCity: meiliCityKey, FacetCohort: meiliCohortKey,
		FacetYear: "graduation_year", FacetLanguage: meiliLanguageKeys, FacetWorkplace: meiliWorkplace,
	}
	meiliSortable = []string{meiliSortID, meiliEachKey, "graduation_year", meiliAvailableOn, meiliUpdated}
)

// meiliSettings are the index settings the index relies on.
func meiliSettings(maxTotalHits int64) *meilisearch.Settings {
	return &meilisearch.Settings{
		// Meilisearch's own text search is not used (see textterms.go);
		// these keep its dashboard useful.
		SearchableAttributes: []string{"name", "headline", "skills"},
		FilterableAttributes: slices.Clone(meiliFilterable),
		SortableAttributes:   slices.Clone(meiliSortable),
		Pagination:           &meilisearch.Pagination{MaxTotalHits: maxTotalHits},
		// Label keys share skill_keys with taxonomy ids: count enough
		// values that the ids are among them.
		Faceting: &meilisearch.Faceting{MaxValuesPerFacet: 1000},
	}
}

// meiliDoc is the document sent to Meilisearch. Key shadows Profile.ID in
// JSON (the shallower field wins).
type meiliDoc struct {
	Profile
	Key          string   `json:"id"`
	ProfileID    string   `json:"profile_id"`
	SortID       string   `json:"sort_id"`
	EachKey      uint64   `json:"each_key"`
	SkillKeys    []string `json:"skill_keys"`
	CityKey      string   `json:"city_key"`
	LanguageKeys []string `json:"language_keys"`
	CohortKey    string   `json:"cohort_key,omitempty"`
	Workplace    []string `json:"workplace_keys"`
	Seniority    []string `json:"seniority_keys"`
	UpdatedUnix  *int64   `json:"updated_unix,omitempty"`
	TextTerms    []string `json:"text_terms"`
	AvailableOn  *int64   `json:"available_on,omitempty"`
}

func newMeiliDoc(p Profile, ta textAnalyzers) meiliDoc {
	d := meiliDoc{
		Profile:      p,
		Key:          meiliKey(p.ID),
		ProfileID:    p.ID,
		SortID:       meiliSortKey(p.ID),
		EachKey:      meiliEachKeyOf(p.ID),
		SkillKeys:    capValues(skillKeys(p.Skills)),
		CityKey:      capValue(foldKey(p.City)),
		LanguageKeys: capValues(foldKeys(p.Languages)),
		CohortKey:    capValue(foldKey(p.Cohort)),
		Workplace:    capValues(foldKeys(p.Seeking.Workplace)),
		Seniority:    capValues(foldKeys(p.Seeking.Seniority)),
		TextTerms:    ta.docTerms(p),
	}
	if day, ok := availableDay(p.Availability); ok {
		d.AvailableOn = &day
	}
	if !p.UpdatedAt.IsZero() {
		u := p.UpdatedAt.Unix()
		d.UpdatedUnix = &u
	}
	return d
}

func (d meiliDoc) profile() Profile {
	p := d.Profile
	p.ID = d.ProfileID
	return p
}

// meiliSortKey is the sort key of a profile id (see meiliSortID).
func meiliSortKey(id string) string { return hex.EncodeToString([]byte(id)) }

// meiliEachKeyOf is the Each paging key of a profile id (see meiliEachKey).
func meiliEachKeyOf(id string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return h.Sum64() & (1<<53 - 1)
}

// isMeiliSafe reports whether s only has the characters Meilisearch
// accepts in document ids and index uids.
func isMeiliSafe(s string) bool {
	if s == "" || len(s) > 400 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isMeiliSafeByte(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

func isMeiliSafeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// meiliKey maps a profile id to a Meilisearch document id, which may only
// hold letters, digits, '-' and '_'. Other bytes, '_' included, become
// "_XX" (hex), so the mapping is one-to-one and common ids such as
// "g-0042" are unchanged.
func meiliKey(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if isMeiliSafeByte(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "_%02X", c)
	}
	return b.String()
}

// meiliQuote quotes a filter value. Keys built by foldKey never hold '"'
// or '\', but the escaping keeps any other caller safe.
func meiliQuote(v string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	v = strings.ReplaceAll(v, `"`, `\"`)
	return `"` + v + `"`
}

// meiliFilter turns normalized search parameters into Meilisearch filter
// expressions, all of which must hold. Text words become text_terms
// conditions (see textterms.go).
func meiliFilter(sp searchParams, ta textAnalyzers) []string {
	var f []string
	for _, k := range capValues(sp.skills) {
		f = append(f, meiliSkillKeys+" = "+meiliQuote(k))
	}
	for _, g := range sp.skillGroups {
		var any []string
		for _, k := range capValues(g) {
			any = append(any, meiliSkillKeys+" = "+meiliQuote(k))
		}
		f = append(f, "("+strings.Join(any, " OR ")+")")
	}
	if sp.city != "" {
		f = append(f, meiliCityKey+" = "+meiliQuote(capValue(sp.city)))
	}
	if sp.country != "" {
		f = append(f, "country = "+meiliQuote(sp.country))
	}
	if sp.cohort != "" {
		f = append(f, meiliCohortKey+" = "+meiliQuote(capValue(sp.cohort)))
	}
	if len(sp.cohorts) > 0 {
		var any []string
		for _, k := range capValues(sp.cohorts) {
			any = append(any, meiliCohortKey+" = "+meiliQuote(k))
		}
		f = append(f, "("+strings.Join(any, " OR ")+")")
	}
	if len(sp.workplace) > 0 {
		var any []string
		for _, k := range capValues(sp.workplace) {
			any = append(any, meiliWorkplace+" = "+meiliQuote(k))
		}
		f = append(f, "("+strings.Join(any, " OR ")+")")
	}
	if sp.recruiters {
		f = append(f, meiliRecruiters+" = true")
	}
	if len(sp.seniority) > 0 {
		var any []string
		for _, k := range capValues(sp.seniority) {
			any = append(any, meiliSeniority+" = "+meiliQuote(k))
		}
		f = append(f, "("+strings.Join(any, " OR ")+")")
	}
	if sp.yearFrom != 0 {
		f = append(f, "graduation_year >= "+strconv.Itoa(sp.yearFrom))
	}
	if sp.yearTo != 0 {
		f = append(f, "graduation_year <= "+strconv.Itoa(sp.yearTo))
	}
	if sp.year != 0 {
		f = append(f, "graduation_year = "+strconv.Itoa(sp.year))
	}
	for _, k := range capValues(sp.languages) {
		f = append(f, meiliLanguageKeys+" = "+meiliQuote(k))
	}
	if sp.hasAvail {
		f = append(f, meiliAvailableOn+" <= "+strconv.FormatInt(sp.availBy, 10))
	}
	if sp.searchable {
		f = append(f, "consent.searchable = true")
	}
	if sp.text != "" {
		for _, alts := range ta.queryTerms(sp.text) {
			quoted := make([]string, len(alts))
			for i, a := range alts {
				quoted[i] = meiliQuote(a)
			}
			f = append(f, meiliTextTerms+" IN ["+strings.Join(quoted, ", ")+"]")
		}
	}
	return f
}

// meiliWindow maps offset/limit onto one request in Meilisearch's
// page/hitsPerPage mode (the mode in which totalHits is exact): the page
// of hitsPerPage hits numbered page (from 1) holds the wanted hits from
// its skip-th on. It picks the smallest page size that covers the window:
// about twice the limit at most (up to 2*limit+7 for limits under 25 and
// offsets under 20000), so an offset that is not a multiple of the limit
// still costs one search.
func meiliWindow(offset, limit int) (page, hitsPerPage, skip int) {
	end := offset + limit
	// With p pages before it, a page of h hits covers the window when
	// p*h <= offset and (p+1)*h >= end; the largest workable p gives the
	// smallest h.
	for p := offset / limit; p >= 0; p-- {
		h := (end + p) / (p + 1) // ceil(end / (p+1))
		if p*h <= offset {
			return p + 1, h, offset - p*h
		}
	}
	return 1, end, offset // not reached: p = 0 always works
}

// MeiliStore is the profiles search index kept in Meilisearch.
type MeiliStore struct {
	client meilisearch.ServiceManager
	// index is only read after OpenMeili: the client writes its own state
	// (the primary key) on some calls, which are made at open only.
	index meilisearch.IndexManager
	http  *http.Client
	cfg   MeiliConfig
	now   func() time.Time
	text  textAnalyzers
}

var _ Store = (*MeiliStore)(nil)

// OpenMeili connects to Meilisearch, checks its version (MeiliMinVersion
// or later) and the index: with ManageIndex it creates the index when
// missing (primary key "id") and writes its settings when they differ;
// without, it only verifies them. Every failure is an error naming the
// server and what to do.
func OpenMeili(ctx context.Context, cfg MeiliConfig) (*MeiliStore, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	ta, err := loadTextAnalyzers()
	if err != nil {
		return nil, err
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cfg.RequestTimeout}
	}
	// The client's own retries resend a request whose body was already
	// read, so they are disabled; callers retry whole operations.
	opts := []meilisearch.Option{meilisearch.WithCustomClient(hc), meilisearch.DisableRetries()}
	if cfg.Key != "" {
		opts = append(opts, meilisearch.WithAPIKey(cfg.Key))
	}
	client := meilisearch.New(cfg.URL, opts...)
	s := &MeiliStore{client: client, index: client.Index(cfg.Index), http: hc, cfg: cfg, now: nowFunc(cfg.Now), text: ta}
	if err := s.checkVersion(ctx); err != nil {
		s.closeIdle()
		return nil, err
	}
	if err := s.ensureIndex(ctx); err != nil {
		s.closeIdle()
		return nil, err
	}
	if err := s.ensureSettings(ctx); err != nil {
		s.closeIdle()
		return nil, err
	}
	return s, nil
}

// getJSON reads the answer to a GET into out; for a 404 carrying an API
// error it returns that error's code instead.
func (s *MeiliStore) getJSON(ctx context.Context, path string, out any) (notFound string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.URL+path, nil)
	if err != nil {
		return "", fmt.Errorf("profiles: meilisearch at %s: %w", s.cfg.URL, err)
	}
	if s.cfg.Key != "" {
		req.Header.Set("Authorization", "Bearer "+s.cfg.Key)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("profiles: meilisearch at %s is unreachable (GET %s): %w", s.cfg.URL, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return "", fmt.Errorf("profiles: meilisearch at %s: GET %s: read answer: %w", s.cfg.URL, path, err)
	}
	var apiErr struct{ Message, Code string }
	switch {
	case resp.StatusCode == http.StatusOK:
		if err := json.Unmarshal(body, out); err != nil {
			return "", fmt.Errorf("profiles: meilisearch at %s: GET %s: unreadable answer (is this a Meilisearch server?): %w", s.cfg.URL, path, err)
		}
		return "", nil
	case resp.StatusCode == http.StatusNotFound && json.Unmarshal(body, &apiErr) == nil && apiErr.Code != "":
		return apiErr.Code, nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		_ = json.Unmarshal(body, &apiErr)
		return "", fmt.Errorf("profiles: meilisearch at %s refused the API key (GET %s: status %d %s): check --meili-key / MEILI_KEY", s.cfg.URL, path, resp.StatusCode, apiErr.Code)
	default:
		_ = json.Unmarshal(body, &apiErr)
		return "", fmt.Errorf("profiles: meilisearch at %s: GET %s: status %d: %s (%s)", s.cfg.URL, path, resp.StatusCode, apiErr.Message, apiErr.Code)
	}
}

// checkVersion refuses a server older than MeiliMinVersion: the search
// requests need v1.6 ("hybrid": null), documents/fetch v1.2, filter
// escaping v1.4; v1.12 is the version deployed and tested against.
func (s *MeiliStore) checkVersion(ctx context.Context) error {
	var v struct {
		PkgVersion string `json:"pkgVersion"`
	}
	code, err := s.getJSON(ctx, "/version", &v)
	if err != nil {
		return err
	}
	if code != "" {
		return fmt.Errorf("profiles: %s does not answer /version (%s): is it a Meilisearch server?", s.cfg.URL, code)
	}
	major, minor, ok := parseVersion(v.PkgVersion)
	if !ok {
		return fmt.Errorf("profiles: meilisearch at %s reports version %q, which is not a version number", s.cfg.URL, v.PkgVersion)
	}
	if major < meiliMinMajor || major == meiliMinMajor && minor < meiliMinMinor {
		return fmt.Errorf("profiles: meilisearch at %s is version %s; Passerelle needs v%s or later", s.cfg.URL, v.PkgVersion, MeiliMinVersion)
	}
	return nil
}

// parseVersion reads the major and minor numbers of "1.12.3" or
// "1.13.0-rc.1".
func parseVersion(v string) (major, minor int, ok bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(strings.SplitN(parts[1], "-", 2)[0])
	return major, minor, err1 == nil && err2 == nil
}

// ensureIndex checks that the index exists with primary key "id"; with
// ManageIndex it creates it when missing.
func (s *MeiliStore) ensureIndex(ctx context.Context) error {
	var info struct {
		PrimaryKey *string `json:"primaryKey"`
	}
	path := "/indexes/" + s.cfg.Index
	code, err := s.getJSON(ctx, path, &info)
	if err != nil {
		return err
	}
	if code == "index_not_found" {
		if !s.cfg.ManageIndex {
			return fmt.Errorf("profiles: meilisearch at %s has no index %q: the serving process (passerelle serve/run, which manages the index) creates it; start it first", s.cfg.URL, s.cfg.Index)
		}
		task, err := s.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: s.cfg.Index, PrimaryKey: meiliPrimaryKey})
		if err != nil {
			return meiliErr("create index "+s.cfg.Index, err)
		}
		// Another managing process may have created it meanwhile.
		if err := s.wait(ctx, "create index "+s.cfg.Index, task, "index_already_exists"); err != nil {
			return err
		}
		if code, err = s.getJSON(ctx, path, &info); err != nil {
			return err
		}
	}
	if code != "" {
		return fmt.Errorf("profiles: meilisearch at %s: index %q: %s", s.cfg.URL, s.cfg.Index, code)
	}
	switch {
	case info.PrimaryKey != nil && *info.PrimaryKey == meiliPrimaryKey:
		return nil
	case info.PrimaryKey == nil || *info.PrimaryKey == "":
		if !s.cfg.ManageIndex {
			return fmt.Errorf("profiles: meilisearch index %q at %s has no primary key: the serving process sets it; start it first", s.cfg.Index, s.cfg.URL)
		}
		task, err := s.index.UpdateIndexWithContext(ctx, &meilisearch.UpdateIndexRequestParams{PrimaryKey: meiliPrimaryKey})
		if err != nil {
			return meiliErr("set the primary key of "+s.cfg.Index, err)
		}
		return s.wait(ctx, "set the primary key of "+s.cfg.Index, task)
	default:
		return fmt.Errorf("profiles: meilisearch index %q at %s has primary key %q, not %q: it was not made by Passerelle; delete it (the index is rebuilt from the profiles bucket) or choose another index", s.cfg.Index, s.cfg.URL, *info.PrimaryKey, meiliPrimaryKey)
	}
}

// ensureSettings compares the index settings with what this version needs;
// with ManageIndex it writes them when they differ, otherwise a difference
// is an error.
func (s *MeiliStore) ensureSettings(ctx context.Context) error {
	var got struct {
		FilterableAttributes []json.RawMessage `json:"filterableAttributes"`
		SortableAttributes   []string          `json:"sortableAttributes"`
		Pagination           struct {
			MaxTotalHits int64 `json:"maxTotalHits"`
		} `json:"pagination"`
	}
	code, err := s.getJSON(ctx, "/indexes/"+s.cfg.Index+"/settings", &got)
	if err != nil {
		return err
	}
	if code != "" {
		return fmt.Errorf("profiles: meilisearch at %s: settings of index %q: %s", s.cfg.URL, s.cfg.Index, code)
	}
	filterable := filterableNames(got.FilterableAttributes)
	var missing []string
	for _, a := range meiliFilterable {
		if !slices.Contains(filterable, a) {
			missing = append(missing, "filterable "+a)
		}
	}
	for _, a := range meiliSortable {
		if !slices.Contains(got.SortableAttributes, a) {
			missing = append(missing, "sortable "+a)
		}
	}
	if !s.cfg.ManageIndex {
		if len(missing) > 0 {
			return fmt.Errorf("profiles: meilisearch index %q at %s lacks the settings this version needs (%s): the serving process of this version writes them; start it first", s.cfg.Index, s.cfg.URL, strings.Join(missing, ", "))
		}
		return nil
	}
	if len(missing) == 0 && got.Pagination.MaxTotalHits == s.cfg.MaxTotalHits {
		return nil
	}
	task, err := s.index.UpdateSettingsWithContext(ctx, meiliSettings(s.cfg.MaxTotalHits))
	if err != nil {
		return meiliErr("update settings", err)
	}
	return s.wait(ctx, "update settings", task)
}

// filterableNames reads filterableAttributes, whose entries are names or
// (from v1.14) objects with attributePatterns.
func filterableNames(raw []json.RawMessage) []string {
	var out []string
	for _, r := range raw {
		var name string
		if json.Unmarshal(r, &name) == nil {
			out = append(out, name)
			continue
		}
		var obj struct {
			AttributePatterns []string `json:"attributePatterns"`
		}
		if json.Unmarshal(r, &obj) == nil {
			out = append(out, obj.AttributePatterns...)
		}
	}
	return out
}

// wait polls a task until it ends, for up to TaskTimeout; a failure whose
// code is in allowed is not an error. A wait that times out says the task
// may still apply.
func (s *MeiliStore) wait(ctx context.Context, op string, info *meilisearch.TaskInfo, allowed ...string) error {
	if info == nil {
		return fmt.Errorf("profiles: meili %s: the server returned no task", op)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.TaskTimeout)
	defer cancel()
	delay := meiliPollFirst
	for {
		task, err := s.client.GetTaskWithContext(ctx, info.TaskUID)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("profiles: meili %s: task %d not finished after %s (it may still apply): %w", op, info.TaskUID, s.cfg.TaskTimeout, ctx.Err())
			}
			return meiliErr(fmt.Sprintf("%s: wait for task %d", op, info.TaskUID), err)
		}
		switch task.Status {
		case meilisearch.TaskStatusSucceeded:
			return nil
		case meilisearch.TaskStatusFailed:
			if slices.Contains(allowed, task.Error.Code) {
				return nil
			}
			return fmt.Errorf("profiles: meili %s: task %d failed: %s (%s)", op, info.TaskUID, task.Error.Message, task.Error.Code)
		case meilisearch.TaskStatusCanceled:
			return fmt.Errorf("profiles: meili %s: task %d was canceled", op, info.TaskUID)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("profiles: meili %s: task %d still %s after %s (it may still apply): %w", op, info.TaskUID, task.Status, s.cfg.TaskTimeout, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, meiliPollMax)
	}
}

// Put upserts profiles (Meilisearch replaces a document with the same id)
// in tasks of at most 1000 documents, waiting for each. Profiles are all
// validated first; when a later task fails the earlier ones stay applied
// (the error says how many), which is harmless for a derived index whose
// indexer puts again until it succeeds.
func (s *MeiliStore) Put(ctx context.Context, ps ...Profile) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("profiles: put: %w", err)
	}
	prepared, err := prepareAll(ps, s.now())
	if err != nil {
		return err
	}
	for start := 0; start < len(prepared); start += meiliBatchSize {
		batch := prepared[start:min(start+meiliBatchSize, len(prepared))]
		docs := make([]meiliDoc, len(batch))
		for i, p := range batch {
			docs[i] = newMeiliDoc(p, s.text)
		}
		op := fmt.Sprintf("put profiles %d-%d of %d", start+1, start+len(batch), len(prepared))
		if start > 0 {
			op += fmt.Sprintf(" (the first %d are applied)", start)
		}
		// No DocumentOptions: the primary key is the index's, set at open
		// (passing it here makes the client write shared state).
		info, err := s.index.AddDocumentsWithContext(ctx, docs, nil)
		if err != nil {
			return meiliErr(op, err)
		}
		if err := s.wait(ctx, op, info); err != nil {
			return err
		}
	}
	return nil
}

// Get returns the profile with the given id, or an error wrapping
// ErrNotFound.
func (s *MeiliStore) Get(ctx context.Context, id string) (Profile, error) {
	if err := ctx.Err(); err != nil {
		return Profile{}, fmt.Errorf("profiles: get %s: %w", id, err)
	}
	if id == "" {
		return Profile{}, fmt.Errorf("profiles: get %q: %w", id, ErrNotFound)
	}
	var d meiliDoc
	if err := s.index.GetDocumentWithContext(ctx, meiliKey(id), nil, &d); err != nil {
		var me *meilisearch.Error
		if errors.As(err, &me) && me.StatusCode == http.StatusNotFound && me.MeilisearchApiError.Code == "document_not_found" {
			return Profile{}, fmt.Errorf("profiles: get %q: %w", id, ErrNotFound)
		}
		return Profile{}, meiliErr("get "+id, err)
	}
	return d.profile(), nil
}

// Delete removes a profile; deleting an unknown id is not an error.
func (s *MeiliStore) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("profiles: delete %s: %w", id, err)
	}
	if id == "" {
		return nil
	}
	info, err := s.index.DeleteDocumentWithContext(ctx, meiliKey(id), nil)
	if err != nil {
		return meiliErr("delete "+id, err)
	}
	return s.wait(ctx, "delete "+id, info)
}

// Reset deletes every document of the index (its settings stay), for
// Indexer.Reindex.
func (s *MeiliStore) Reset(ctx context.Context) error {
	info, err := s.index.DeleteAllDocumentsWithContext(ctx, nil)
	if err != nil {
		return meiliErr("delete all documents", err)
	}
	return s.wait(ctx, "delete all documents", info)
}

// Search runs q: filters and free text (see textterms.go) as filter
// conditions, sorted by profile id in byte order, with an exact Total up
// to MaxTotalHits. One request per search.
func (s *MeiliStore) Search(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("profiles: search: %w", err)
	}
	sp, err := params(q, s.now())
	if err != nil {
		return Result{}, err
	}
	req := &meilisearch.SearchRequest{Sort: []string{meiliSortID + ":asc"}}
	switch sp.sort {
	case SortYear:
		req.Sort = []string{"graduation_year:desc", meiliSortID + ":asc"}
	case SortAvailability:
		req.Sort = []string{meiliAvailableOn + ":asc", meiliSortID + ":asc"}
	case SortUpdated:
		req.Sort = []string{meiliUpdated + ":desc", meiliSortID + ":asc"}
	}
	if f := meiliFilter(sp, s.text); len(f) > 0 {
		req.Filter = f
	}
	var skip int
	if int64(sp.offset) >= s.cfg.MaxTotalHits {
		// Past the hits Meilisearch pages through: only the total.
		zero := int64(0)
		req.Page, req.HitsPerPage = 1, &zero
	} else {
		page, hpp, sk := meiliWindow(sp.offset, sp.limit)
		h := int64(hpp)
		req.Page, req.HitsPerPage, skip = int64(page), &h, sk
	}
	if sp.facets {
		for _, name := range FacetNames {
			req.Facets = append(req.Facets, meiliFacets[name])
		}
	}
	resp, err := s.index.SearchWithContext(ctx, "", req)
	if err != nil {
		return Result{}, meiliErr("search", err)
	}
	out := Result{Total: int(resp.TotalHits)}
	if sp.facets {
		var dist map[string]map[string]int
		if len(resp.FacetDistribution) > 0 {
			if err := json.Unmarshal(resp.FacetDistribution, &dist); err != nil {
				return Result{}, fmt.Errorf("profiles: meili facets: %w", err)
			}
		}
		out.Facets = map[string][]FacetCount{}
		for _, name := range FacetNames {
			out.Facets[name] = topFacet(name, dist[meiliFacets[name]])
		}
	}
	hits := resp.Hits
	if skip >= len(hits) {
		hits = nil
	} else {
		hits = hits[skip:min(skip+sp.limit, len(hits))]
	}
	for _, h := range hits {
		d, err := decodeHit(h)
		if err != nil {
			return Result{}, err
		}
		out.Profiles = append(out.Profiles, d.profile())
	}
	return out, nil
}

func decodeHit(h meilisearch.Hit) (meiliDoc, error) {
	raw, err := json.Marshal(h)
	if err != nil {
		return meiliDoc{}, fmt.Errorf("profiles: meili decode hit: %w", err)
	}
	var d meiliDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return meiliDoc{}, fmt.Errorf("profiles: meili decode hit: %w", err)
	}
	return d, nil
}

// Each calls fn for every profile and stops at the first error fn
// returns (returned as is). It pages by each_key (each_key >= the last
// key seen, skipping the documents already given at that key), so
// documents written or deleted meanwhile never make it skip or repeat
// another. Documents without each_key, written by an earlier version,
// are read last, by offset (only the indexer and the move of an earlier
// version's profiles to the bucket read them).
func (s *MeiliStore) Each(ctx context.Context, fn func(Profile) error) error {
	last := uint64(0)
	var atLast []string // profile ids given with each_key == last
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("profiles: each: %w", err)
		}
		req := &meilisearch.SearchRequest{
			Filter: meiliEachKey + " >= " + strconv.FormatUint(last, 10),
			Sort:   []string{meiliEachKey + ":asc"},
			Limit:  meiliEachPage,
		}
		resp, err := s.index.SearchWithContext(ctx, "", req)
		if err != nil {
			return meiliErr("each", err)
		}
		progressed := false
		for _, h := range resp.Hits {
			d, err := decodeHit(h)
			if err != nil {
				return err
			}
			if d.EachKey == last && slices.Contains(atLast, d.ProfileID) {
				continue
			}
			if d.EachKey != last {
				last, atLast = d.EachKey, atLast[:0]
			}
			atLast = append(atLast, d.ProfileID)
			progressed = true
			if err := fn(d.profile()); err != nil {
				return err
			}
		}
		if len(resp.Hits) < meiliEachPage {
			break
		}
		if !progressed {
			return fmt.Errorf("profiles: meili each: more than %d documents share each_key %d", meiliEachPage, last)
		}
	}
	return s.eachLegacy(ctx, fn)
}

// eachLegacy gives the documents without each_key.
func (s *MeiliStore) eachLegacy(ctx context.Context, fn func(Profile) error) error {
	for offset := int64(0); ; {
		var res meilisearch.DocumentsResult
		q := &meilisearch.DocumentsQuery{Offset: offset, Limit: meiliEachPage, Filter: meiliEachKey + " NOT EXISTS"}
		if err := s.index.GetDocumentsWithContext(ctx, q, &res); err != nil {
			return meiliErr("each (documents of an earlier version)", err)
		}
		for _, h := range res.Results {
			d, err := decodeHit(h)
			if err != nil {
				return err
			}
			if err := fn(d.profile()); err != nil {
				return err
			}
		}
		offset += int64(len(res.Results))
		if len(res.Results) < meiliEachPage || offset >= res.Total {
			return nil
		}
	}
}

// Close releases idle connections; the index itself stays on the server.
func (s *MeiliStore) Close() error {
	s.closeIdle()
	return nil
}

func (s *MeiliStore) closeIdle() {
	if s.cfg.HTTPClient == nil {
		s.http.CloseIdleConnections()
	}
}

// meiliError keeps a Meilisearch error in the chain but prints only its
// status and API message: the client's own text includes the request body,
// which would put profiles (names, emails) into logs.
type meiliError struct {
	op  string
	err *meilisearch.Error
}

func (e *meiliError) Error() string {
	msg := e.err.MeilisearchApiError.Message
	if e.err.OriginError != nil {
		msg = e.err.OriginError.Error()
	}
	if e.err.StatusCode != 0 {
		return fmt.Sprintf("profiles: meili %s: status %d: %s (%s)", e.op, e.err.StatusCode, msg, e.err.MeilisearchApiError.Code)
	}
	return fmt.Sprintf("profiles: meili %s: %s", e.op, msg)
}

func (e *meiliError) Unwrap() []error {
	if e.err.OriginError != nil {
		return []error{e.err, e.err.OriginError}
	}
	return []error{e.err}
}

// meiliErr wraps err with the operation that failed.
func meiliErr(op string, err error) error {
	var me *meilisearch.Error
	if errors.As(err, &me) && me != nil {
		return &meiliError{op: op, err: me}
	}
	return fmt.Errorf("profiles: meili %s: %w", op, err)
}
