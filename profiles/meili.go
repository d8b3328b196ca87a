package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// MeiliConfig configures the Meilisearch store. Only URL is required.
type MeiliConfig struct {
	// URL of the Meilisearch server, e.g. http://127.0.0.1:7700.
	URL string
	// Key is the API key; optional (a server without a master key needs none).
	Key string
	// Index is the index uid. Default "profiles".
	Index string
	// RequestTimeout bounds each HTTP request. Default 10s.
	RequestTimeout time.Duration
	// TaskTimeout bounds the wait for an indexing task. Default 30s.
	TaskTimeout time.Duration
	// MaxTotalHits is the index's pagination.maxTotalHits: searches count
	// and page through at most this many matches. Default 100000.
	MaxTotalHits int64
	// Now gives the current time, for UpdatedAt and "immediate"
	// availability. Default time.Now.
	Now func() time.Time
	// HTTPClient replaces the default client (whose timeout is
	// RequestTimeout).
	HTTPClient *http.Client
}

// Defaults of MeiliConfig.
const (
	DefaultMeiliIndex        = "profiles"
	defaultMeiliRequest      = 10 * time.Second
	defaultMeiliTaskTimeout  = 30 * time.Second
	defaultMeiliMaxTotalHits = 100000
	meiliPollInterval        = 50 * time.Millisecond
	meiliBatchSize           = 1000
)

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

// Validate reports a configuration the store cannot use.
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
)

// meiliSettings are the index settings the store relies on.
func meiliSettings(maxTotalHits int64) *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"name", "headline", "skills"},
		FilterableAttributes: []string{
			"skills", meiliSkillKeys, "city", meiliCityKey, "country", "graduation_year",
			"languages", meiliLanguageKeys, "availability", meiliAvailableOn, "consent.searchable",
		},
		SortableAttributes: []string{meiliProfileID},
		Pagination:         &meilisearch.Pagination{MaxTotalHits: maxTotalHits},
	}
}

// meiliDoc is the document sent to Meilisearch. Key shadows Profile.ID in
// JSON (the shallower field wins).
type meiliDoc struct {
	Profile
	Key          string   `json:"id"`
	ProfileID    string   `json:"profile_id"`
	SkillKeys    []string `json:"skill_keys"`
	CityKey      string   `json:"city_key"`
	LanguageKeys []string `json:"language_keys"`
	AvailableOn  *int64   `json:"available_on,omitempty"`
}

func newMeiliDoc(p Profile) meiliDoc {
	d := meiliDoc{
		Profile:      p,
		Key:          meiliKey(p.ID),
		ProfileID:    p.ID,
		SkillKeys:    foldKeys(p.Skills),
		CityKey:      foldKey(p.City),
		LanguageKeys: foldKeys(p.Languages),
	}
	if day, ok := availableDay(p.Availability); ok {
		d.AvailableOn = &day
	}
	return d
}

func (d meiliDoc) profile() Profile {
	p := d.Profile
	p.ID = d.ProfileID
	return p
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
// expressions, all of which must hold.
func meiliFilter(sp searchParams) []string {
	var f []string
	for _, k := range sp.skills {
		f = append(f, meiliSkillKeys+" = "+meiliQuote(k))
	}
	if sp.city != "" {
		f = append(f, meiliCityKey+" = "+meiliQuote(sp.city))
	}
	if sp.country != "" {
		f = append(f, "country = "+meiliQuote(sp.country))
	}
	if sp.year != 0 {
		f = append(f, "graduation_year = "+strconv.Itoa(sp.year))
	}
	for _, k := range sp.languages {
		f = append(f, meiliLanguageKeys+" = "+meiliQuote(k))
	}
	if sp.hasAvail {
		f = append(f, meiliAvailableOn+" <= "+strconv.FormatInt(sp.availBy, 10))
	}
	if sp.searchable {
		f = append(f, "consent.searchable = true")
	}
	return f
}

// meiliPage maps offset/limit onto Meilisearch's page/hitsPerPage, the mode
// in which it returns an exact totalHits: pages of limit hits, starting at
// page, dropping the first skip hits. When skip is not zero the wanted hits
// straddle page and page+1, so both are fetched; the response size stays
// bounded by 2*limit whatever the offset.
func meiliPage(offset, limit int) (page, skip int) {
	return offset/limit + 1, offset % limit
}

// MeiliStore keeps profiles in a Meilisearch index.
type MeiliStore struct {
	client meilisearch.ServiceManager
	index  meilisearch.IndexManager
	http   *http.Client
	cfg    MeiliConfig
	now    func() time.Time
}

var _ Store = (*MeiliStore)(nil)

// OpenMeili connects to Meilisearch, creates the index when missing and
// applies the settings the store needs, waiting for both tasks.
func OpenMeili(ctx context.Context, cfg MeiliConfig) (*MeiliStore, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
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
	client := meilisearch.New(strings.TrimRight(cfg.URL, "/"), opts...)
	s := &MeiliStore{client: client, index: client.Index(cfg.Index), http: hc, cfg: cfg, now: nowFunc(cfg.Now)}

	info, err := client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: cfg.Index, PrimaryKey: meiliPrimaryKey})
	if err != nil {
		return nil, meiliErr("create index "+cfg.Index, err)
	}
	if err := s.wait(ctx, "create index "+cfg.Index, info, "index_already_exists"); err != nil {
		return nil, err
	}
	info, err = s.index.UpdateSettingsWithContext(ctx, meiliSettings(cfg.MaxTotalHits))
	if err != nil {
		return nil, meiliErr("update settings", err)
	}
	if err := s.wait(ctx, "update settings", info); err != nil {
		return nil, err
	}
	return s, nil
}

// wait waits up to TaskTimeout for a task; a failure whose code is in
// allowed is not an error.
func (s *MeiliStore) wait(ctx context.Context, op string, info *meilisearch.TaskInfo, allowed ...string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.TaskTimeout)
	defer cancel()
	task, err := s.client.WaitForTaskWithContext(ctx, info.TaskUID, meiliPollInterval)
	if err != nil {
		return meiliErr(fmt.Sprintf("%s: wait for task %d", op, info.TaskUID), err)
	}
	switch task.Status {
	case meilisearch.TaskStatusSucceeded:
		return nil
	case meilisearch.TaskStatusFailed:
		for _, code := range allowed {
			if task.Error.Code == code {
				return nil
			}
		}
		return fmt.Errorf("profiles: meili %s: task %d failed: %s (%s)", op, info.TaskUID, task.Error.Message, task.Error.Code)
	default:
		return fmt.Errorf("profiles: meili %s: task %d ended %s", op, info.TaskUID, task.Status)
	}
}

// Put upserts profiles (Meilisearch replaces a document with the same id),
// in batches, waiting for each task.
func (s *MeiliStore) Put(ctx context.Context, ps ...Profile) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("profiles: put: %w", err)
	}
	prepared, err := prepareAll(ps, s.now())
	if err != nil {
		return err
	}
	pk := meiliPrimaryKey
	for start := 0; start < len(prepared); start += meiliBatchSize {
		batch := prepared[start:min(start+meiliBatchSize, len(prepared))]
		docs := make([]meiliDoc, len(batch))
		for i, p := range batch {
			docs[i] = newMeiliDoc(p)
		}
		info, err := s.index.AddDocumentsWithContext(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return meiliErr(fmt.Sprintf("put %d profiles", len(docs)), err)
		}
		if err := s.wait(ctx, fmt.Sprintf("put %d profiles", len(docs)), info); err != nil {
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

// Search runs q with matchingStrategy "all" (every word must match),
// sorted by relevance then profile id.
func (s *MeiliStore) Search(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("profiles: search: %w", err)
	}
	sp, err := params(q, s.now())
	if err != nil {
		return Result{}, err
	}
	page, skip := meiliPage(sp.offset, sp.limit)
	resp, err := s.searchPage(ctx, sp, page)
	if err != nil {
		return Result{}, err
	}
	out := Result{Total: int(resp.TotalHits)}
	hits := resp.Hits
	if skip > 0 && len(hits) == sp.limit {
		next, err := s.searchPage(ctx, sp, page+1)
		if err != nil {
			return Result{}, err
		}
		hits = append(hits, next.Hits...)
	}
	if skip >= len(hits) {
		hits = nil
	} else {
		hits = hits[skip:min(skip+sp.limit, len(hits))]
	}
	for _, h := range hits {
		p, err := decodeHit(h)
		if err != nil {
			return Result{}, err
		}
		out.Profiles = append(out.Profiles, p)
	}
	return out, nil
}

// searchPage fetches one page of sp.limit hits.
func (s *MeiliStore) searchPage(ctx context.Context, sp searchParams, page int) (*meilisearch.SearchResponse, error) {
	req := meiliSearchRequest(sp)
	req.Page = int64(page)
	hpp := int64(sp.limit)
	req.HitsPerPage = &hpp
	resp, err := s.index.SearchWithContext(ctx, sp.text, req)
	if err != nil {
		return nil, meiliErr("search", err)
	}
	return resp, nil
}

// meiliSearchRequest is the search request for sp, without paging.
func meiliSearchRequest(sp searchParams) *meilisearch.SearchRequest {
	req := &meilisearch.SearchRequest{
		Query:            sp.text,
		MatchingStrategy: meilisearch.All,
		Sort:             []string{meiliProfileID + ":asc"},
	}
	if f := meiliFilter(sp); len(f) > 0 {
		req.Filter = f
	}
	return req
}

func decodeHit(h meilisearch.Hit) (Profile, error) {
	raw, err := json.Marshal(h)
	if err != nil {
		return Profile{}, fmt.Errorf("profiles: meili decode hit: %w", err)
	}
	var d meiliDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return Profile{}, fmt.Errorf("profiles: meili decode hit: %w", err)
	}
	return d.profile(), nil
}

// Each calls fn for every profile, reading the documents in pages, and
// stops at the first error fn returns (returned as is).
func (s *MeiliStore) Each(ctx context.Context, fn func(Profile) error) error {
	for offset := int64(0); ; {
		var res meilisearch.DocumentsResult
		err := s.index.GetDocumentsWithContext(ctx, &meilisearch.DocumentsQuery{Offset: offset, Limit: meiliBatchSize}, &res)
		if err != nil {
			return meiliErr("each", err)
		}
		for _, h := range res.Results {
			p, err := decodeHit(h)
			if err != nil {
				return err
			}
			if err := fn(p); err != nil {
				return err
			}
		}
		offset += int64(len(res.Results))
		if len(res.Results) < meiliBatchSize || offset >= res.Total {
			return nil
		}
	}
}

// Close releases idle connections; the index itself stays on the server.
func (s *MeiliStore) Close() error {
	if s.cfg.HTTPClient == nil {
		s.http.CloseIdleConnections()
	}
	return nil
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
	if errors.As(err, &me) {
		return &meiliError{op: op, err: me}
	}
	return fmt.Errorf("profiles: meili %s: %w", op, err)
}
