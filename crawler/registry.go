package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// SourceRecord is what the sources registry keeps about one source: the
// decisions taken at runtime, over the sources config. A configured source
// has a record once someone enabled or disabled it; a source added by a
// placement officer lives only in its record.
type SourceRecord struct {
	Name string `json:"name"`
	// Enabled, when set, overrides the config's "enabled".
	Enabled *bool `json:"enabled,omitempty"`
	// By and At say who last enabled or disabled the source, and when.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at,omitzero"`
	// Added is the config of a source added at runtime (officers' partner
	// companies' career pages), nil for a source of the config file.
	Added   *SourceConfig `json:"added,omitempty"`
	AddedBy string        `json:"added_by,omitempty"`
	AddedAt time.Time     `json:"added_at,omitzero"`
}

// Registry keeps the SourceRecords (NATS KV bucket "sources" in
// production, memory in tests). Changes signals after each change, until
// ctx ends.
type Registry interface {
	List(ctx context.Context) ([]SourceRecord, error)
	Get(ctx context.Context, name string) (SourceRecord, bool, error)
	Put(ctx context.Context, rec SourceRecord) error
	Changes(ctx context.Context) (<-chan struct{}, error)
}

// Origins of a source (SourceStatus.Origin).
const (
	OriginConfig = "config" // the sources file or the embedded default set
	OriginAdded  = "added"  // added at runtime by a placement officer
)

// ErrNameTaken is returned when an added source would reuse a name.
var ErrNameTaken = errors.New("crawler: source name already used")

// Refresh reads the registry and applies its records: enabled flags over
// the config, and the added sources. Run does it on every change.
func (c *Crawler) Refresh(ctx context.Context) error {
	if c.deps.Registry == nil {
		return nil
	}
	recs, err := c.deps.Registry.List(ctx)
	if err != nil {
		return fmt.Errorf("crawler: read sources registry: %w", err)
	}
	c.applyRecords(recs)
	return nil
}

// applyRecords rebuilds the running sources from the config and recs. A
// source's run lock survives the rebuild, so a run in progress is not
// overlapped by one of the new config.
func (c *Crawler) applyRecords(recs []SourceRecord) {
	byName := make(map[string]SourceRecord, len(recs))
	for _, r := range recs {
		byName[r.Name] = r
	}
	var cfgs []SourceConfig
	taken := map[string]bool{}
	for _, b := range c.base {
		cfg := b
		if r, ok := byName[b.Name]; ok && r.Enabled != nil {
			cfg.Enabled = boolPtr(*r.Enabled)
		}
		cfgs = append(cfgs, cfg)
		taken[b.Name] = true
	}
	added := slices.Clone(recs)
	slices.SortFunc(added, func(a, b SourceRecord) int {
		if c := a.AddedAt.Compare(b.AddedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, r := range added {
		if r.Added == nil {
			continue
		}
		if taken[r.Name] || r.Added.Name != r.Name {
			c.log.Warn("crawler: added source ignored: its name is taken or inconsistent", "source", r.Name)
			continue
		}
		cfg := r.Added.withDefaults()
		if r.Enabled != nil {
			cfg.Enabled = boolPtr(*r.Enabled)
		}
		if err := validateSource(cfg, c.kindOK); err != nil {
			c.log.Warn("crawler: added source ignored: invalid", "source", r.Name, "error", err)
			continue
		}
		cfgs = append(cfgs, cfg)
		taken[r.Name] = true
	}

	c.mu.Lock()
	old := c.slots
	c.slots = make(map[string]*sourceSlot, len(cfgs))
	c.order = c.order[:0]
	for _, cfg := range cfgs {
		sl := old[cfg.Name]
		if sl == nil {
			sl = &sourceSlot{}
		}
		sl.cfg = cfg
		c.slots[cfg.Name] = sl
		c.order = append(c.order, cfg.Name)
	}
	c.records = byName
	c.mu.Unlock()
	select {
	case c.resched <- struct{}{}:
	default:
	}
}

// record returns the registry record of name as last applied.
func (c *Crawler) record(name string) (SourceRecord, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.records[name]
	return r, ok
}

// SetEnabled enables or disables a source at runtime and records who did
// it and when; every crawler process following the registry applies it
// without a restart. It needs a Registry.
func (c *Crawler) SetEnabled(ctx context.Context, name string, enabled bool, by string) (SourceRecord, error) {
	if c.deps.Registry == nil {
		return SourceRecord{}, errors.New("crawler: no sources registry to record the change in")
	}
	by = strings.TrimSpace(by)
	if by == "" {
		return SourceRecord{}, errors.New("crawler: say who enables or disables the source")
	}
	if err := c.Refresh(ctx); err != nil {
		return SourceRecord{}, err
	}
	if _, ok := c.Source(name); !ok {
		return SourceRecord{}, fmt.Errorf("%w: %q", ErrUnknownSource, name)
	}
	rec, _, err := c.deps.Registry.Get(ctx, name)
	if err != nil {
		return SourceRecord{}, err
	}
	rec.Name = name
	rec.Enabled = boolPtr(enabled)
	rec.By = by
	rec.At = c.now().UTC()
	if err := c.deps.Registry.Put(ctx, rec); err != nil {
		return SourceRecord{}, err
	}
	c.log.Info("crawler: source enabled or disabled", "source", name, "enabled", enabled, "by", by)
	return rec, c.Refresh(ctx)
}

func boolPtr(b bool) *bool { return &b }

// MemRegistry is an in-memory Registry for tests and offline tools.
type MemRegistry struct {
	mu   sync.Mutex
	m    map[string]SourceRecord
	subs []chan struct{}
}

var _ Registry = (*MemRegistry)(nil)

// NewMemRegistry returns an empty in-memory Registry.
func NewMemRegistry() *MemRegistry { return &MemRegistry{m: map[string]SourceRecord{}} }

// List implements Registry.
func (r *MemRegistry) List(context.Context) ([]SourceRecord, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]SourceRecord, 0, len(r.m))
	for _, v := range r.m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b SourceRecord) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Get implements Registry.
func (r *MemRegistry) Get(_ context.Context, name string) (SourceRecord, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.m[name]
	return v, ok, nil
}

// Put implements Registry.
func (r *MemRegistry) Put(_ context.Context, rec SourceRecord) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[rec.Name] = rec
	for _, ch := range r.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	return nil
}

// Changes implements Registry.
func (r *MemRegistry) Changes(ctx context.Context) (<-chan struct{}, error) {
	ch := make(chan struct{}, 1)
	r.mu.Lock()
	r.subs = append(r.subs, ch)
	r.mu.Unlock()
	go func() {
		<-ctx.Done()
		r.mu.Lock()
		defer r.mu.Unlock()
		r.subs = slices.DeleteFunc(r.subs, func(c chan struct{}) bool { return c == ch })
	}()
	return ch, nil
}

// kvRegistry is the NATS KV Registry (bucket bus.KVSources, key = source
// name, value = SourceRecord JSON), shared by every process.
type kvRegistry struct{ kv jetstream.KeyValue }

var _ Registry = kvRegistry{}

// NewKVRegistry returns a Registry over a JetStream KeyValue bucket.
func NewKVRegistry(kv jetstream.KeyValue) Registry { return kvRegistry{kv: kv} }

func (r kvRegistry) List(ctx context.Context) ([]SourceRecord, error) {
	keys, err := r.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("crawler: list sources registry: %w", err)
	}
	var out []SourceRecord
	for k := range keys.Keys() {
		e, err := r.kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("crawler: read source record %s: %w", k, err)
		}
		var rec SourceRecord
		if err := json.Unmarshal(e.Value(), &rec); err != nil {
			return nil, fmt.Errorf("crawler: decode source record %s: %w", k, err)
		}
		out = append(out, rec)
	}
	slices.SortFunc(out, func(a, b SourceRecord) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (r kvRegistry) Get(ctx context.Context, name string) (SourceRecord, bool, error) {
	var rec SourceRecord
	e, err := r.kv.Get(ctx, stateKey(name))
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("crawler: read source record %s: %w", name, err)
	}
	if err := json.Unmarshal(e.Value(), &rec); err != nil {
		return rec, false, fmt.Errorf("crawler: decode source record %s: %w", name, err)
	}
	return rec, true, nil
}

func (r kvRegistry) Put(ctx context.Context, rec SourceRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("crawler: encode source record %s: %w", rec.Name, err)
	}
	if _, err := r.kv.Put(ctx, stateKey(rec.Name), b); err != nil {
		return fmt.Errorf("crawler: put source record %s: %w", rec.Name, err)
	}
	return nil
}

func (r kvRegistry) Changes(ctx context.Context) (<-chan struct{}, error) {
	w, err := r.kv.WatchAll(ctx, jetstream.UpdatesOnly(), jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("crawler: watch sources registry: %w", err)
	}
	out := make(chan struct{}, 1)
	go func() {
		defer close(out)
		defer func() { _ = w.Stop() }()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-w.Updates():
				if !ok {
					return
				}
				if e == nil {
					continue
				}
				select {
				case out <- struct{}{}:
				default:
				}
			}
		}
	}()
	return out, nil
}
