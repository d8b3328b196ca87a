package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Validator holds the conditional-request validators of one URL.
type Validator struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// IsZero reports whether there is nothing to send.
func (v Validator) IsZero() bool { return v.ETag == "" && v.LastModified == "" }

// SourceState is what the crawler remembers about a source between runs.
// JSON field names are the crawl_state KV format.
type SourceState struct {
	// Validators by URL (listing pages and detail pages seen in the last
	// run); only URLs whose content was fully handled are kept.
	Validators  map[string]Validator `json:"validators,omitempty"`
	LastRun     time.Time            `json:"last_run"`
	LastSuccess time.Time            `json:"last_success"`
	LastFailure time.Time            `json:"last_failure"`
	DurationMS  int64                `json:"duration_ms"`
	// OffersFound is the number of postings the last successful run read.
	OffersFound int `json:"offers_found"`
	// Published is the number published by the last run; TotalPublished
	// counts every run.
	Published      int   `json:"published"`
	TotalPublished int64 `json:"total_published"`
	// LastError is the first error of the last run, "" when it went well.
	LastError string `json:"last_error,omitempty"`
	// Errors are the last run's errors (at most stateMaxErrors).
	Errors []string `json:"errors,omitempty"`
	// ConsecutiveFailures counts failed runs since the last success; the
	// circuit breaker opens at Config.BreakerThreshold.
	ConsecutiveFailures int `json:"consecutive_failures"`
	// Recovered counts the documents and postings of the last run skipped
	// because their parser or normalizer panicked; TotalRecovered, all runs.
	Recovered      int   `json:"recovered,omitempty"`
	TotalRecovered int64 `json:"total_recovered,omitempty"`
	// LastCheck is when `sources check` last fetched a page of the source:
	// it counts against the owner's minimum poll interval like a run.
	LastCheck time.Time `json:"last_check,omitempty"`
	// Held are offers waiting for the source's publication delay; a later
	// run publishes them, whether or not the listing still shows them.
	Held []HeldOffer `json:"held,omitempty"`
	// Seen is when each offer id was last in the source's listing (Unix
	// seconds); kept only with a Deps.Closer, which closes the offers not
	// seen for Config.CloseAfter.
	Seen map[string]int64 `json:"seen,omitempty"`
}

const stateMaxErrors = 10

// StateStore keeps one SourceState per source. Get returns the zero state
// for an unknown source.
type StateStore interface {
	Get(ctx context.Context, source string) (SourceState, error)
	Put(ctx context.Context, source string, s SourceState) error
}

// MemState is an in-memory StateStore for tests and offline runs.
type MemState struct {
	mu sync.Mutex
	m  map[string]SourceState
}

var _ StateStore = (*MemState)(nil)

// NewMemState returns an empty in-memory StateStore.
func NewMemState() *MemState { return &MemState{m: map[string]SourceState{}} }

// Get returns a copy of the state of source.
func (s *MemState) Get(_ context.Context, source string) (SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return stateCopy(s.m[source]), nil
}

// Put stores a copy of st.
func (s *MemState) Put(_ context.Context, source string, st SourceState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[source] = stateCopy(st)
	return nil
}

func stateCopy(st SourceState) SourceState {
	if st.Validators != nil {
		v := make(map[string]Validator, len(st.Validators))
		for k, x := range st.Validators {
			v[k] = x
		}
		st.Validators = v
	}
	st.Errors = append([]string(nil), st.Errors...)
	st.Held = append([]HeldOffer(nil), st.Held...)
	if st.Seen != nil {
		seen := make(map[string]int64, len(st.Seen))
		for k, v := range st.Seen {
			seen[k] = v
		}
		st.Seen = seen
	}
	return st
}

// kvState is the NATS KV StateStore (bucket crawl_state, key = source).
type kvState struct{ kv jetstream.KeyValue }

var _ StateStore = kvState{}

// NewKVState returns a StateStore over a JetStream KeyValue bucket
// (bus.KVCrawlState); one key per source holding JSON.
func NewKVState(kv jetstream.KeyValue) StateStore { return kvState{kv: kv} }

func (s kvState) Get(ctx context.Context, source string) (SourceState, error) {
	var st SourceState
	e, err := s.kv.Get(ctx, stateKey(source))
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("crawler: get state %s: %w", source, err)
	}
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		return SourceState{}, fmt.Errorf("crawler: decode state %s: %w", source, err)
	}
	return st, nil
}

func (s kvState) Put(ctx context.Context, source string, st SourceState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("crawler: encode state %s: %w", source, err)
	}
	if _, err := s.kv.Put(ctx, stateKey(source), b); err != nil {
		return fmt.Errorf("crawler: put state %s: %w", source, err)
	}
	return nil
}

var stateKeyRE = regexp.MustCompile(`^[-_=a-zA-Z0-9]{1,200}$`)

// stateKey turns s into a valid KV key: s itself when it is one (and has
// no '.', which KV treats as a token separator), else a hash of it.
func stateKey(s string) string {
	if stateKeyRE.MatchString(s) {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "h_" + hex.EncodeToString(sum[:16])
}
