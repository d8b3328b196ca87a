package profiles

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/passerelle/passerelle/bus"
)

// The search index (Bleve or Meilisearch) is derived from the profiles
// bucket: an Indexer, run by the web process, follows the bucket and
// applies every change to it; MigrateToRepo moves the profiles of an
// earlier version's index into the bucket once.

// indexBatch is how many profiles an Indexer puts at once, at most.
// Bleve's cost per profile falls with the batch: at 20,000 profiles,
// putting them 100 at a time cost about 300 µs of CPU a profile, 500 at a
// time 190 µs, 1,000 at a time 120 µs (BenchmarkBlevePut with
// PASSERELLE_BENCH_BATCH; each batch is a segment to build, persist and
// merge, and a fast-path read).
const indexBatch = 1000

// indexLinger: while changes stream in (an import), the indexer waits up
// to this long after the first change of a batch for more, rather than
// putting whatever the watch has delivered so far (a few dozen to a few
// hundred changes at a time during an import). A change after a quiet
// spell is applied at once.
const indexLinger = 150 * time.Millisecond

// Indexer keeps a Store equal to a Repo.
type Indexer struct {
	repo  *Repo
	store Store
	log   *slog.Logger

	synced   atomic.Bool
	revision atomic.Uint64 // last bucket revision applied
	health   atomic.Pointer[healthHook]
	progress atomic.Int64 // unix nano of the last change applied
	// linger: indexLinger, or another for tests and the A/B benchmark
	// (negative: none, every batch put as soon as no change waits).
	linger time.Duration
}

// NewIndexer returns an indexer of repo into store.
func NewIndexer(repo *Repo, store Store, log *slog.Logger) *Indexer {
	if log == nil {
		log = slog.Default()
	}
	return &Indexer{repo: repo, store: store, log: log}
}

// healthHook holds the health hook SetHealth gives.
type healthHook struct{ h bus.ConsumerHealth }

// SetHealth gives the indexer a hook that hears whether it follows the
// bucket ("running") or cannot ("retrying"), and its progress.
func (ix *Indexer) SetHealth(h bus.ConsumerHealth) {
	ix.health.Store(&healthHook{h})
	if ix.synced.Load() {
		h.Set(bus.StateRunning, nil)
	}
}

func (ix *Indexer) setHealth(state string, err error) {
	if hh := ix.health.Load(); hh != nil && hh.h != nil {
		hh.h.Set(state, err)
	}
}

// Synced reports whether the index has caught up with the bucket once.
func (ix *Indexer) Synced() bool { return ix.synced.Load() }

// Revision is the last bucket revision applied to the index.
func (ix *Indexer) Revision() uint64 { return ix.revision.Load() }

// LastProgress is when the indexer last applied a change (zero before).
func (ix *Indexer) LastProgress() time.Time {
	if n := ix.progress.Load(); n > 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// Sync brings the index up to date with the bucket once and returns.
func (ix *Indexer) Sync(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- ix.follow(ctx, cancel) }()
	err := <-errc
	if !ix.synced.Load() {
		if err == nil {
			err = ctx.Err()
		}
		return fmt.Errorf("profiles: index sync: %w", err)
	}
	return nil
}

// Start brings the index up to date with the bucket, then follows the
// bucket in the background until ctx is done, watching again with backoff
// when a watch ends. It returns once the first sync is done (or failed).
func (ix *Indexer) Start(ctx context.Context) error {
	first := make(chan error, 1)
	go func() {
		delay := 200 * time.Millisecond
		for ctx.Err() == nil {
			err := ix.follow(ctx, nil)
			if !ix.synced.Load() && err != nil {
				select {
				case first <- err:
				default:
				}
			}
			if ctx.Err() != nil {
				return
			}
			ix.setHealth(bus.StateRetrying, fmt.Errorf("watch of the profiles bucket ended: %v", err))
			ix.log.Warn("indexer: bucket watch ended; watching again", "err", err, "retry_in", delay)
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(2*delay, 10*time.Second)
		}
	}()
	for {
		select {
		case err := <-first:
			return fmt.Errorf("profiles: index sync: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
			if ix.synced.Load() {
				return nil
			}
		}
	}
}

// follow runs one watch of the bucket: initial values in batches (those
// the index already holds unchanged are skipped when the index is local),
// then the documents of profiles no longer in the bucket deleted, then
// every change. Changes are put in batches too: those that arrive while
// the index applies a batch (an import writes thousands a second) go
// together in the next one, so the index persists one segment per batch,
// not per profile. A batch is applied as soon as no change is waiting,
// so a lone edit is applied at once, except while changes stream in (the
// batch's first change came within indexLinger of the last batch put):
// then it waits for indexBatch changes or indexLinger after its first
// one. The revision WaitFor sees advances only once what came before it
// is applied. stop, when set, ends it right after the initial sync.
func (ix *Indexer) follow(ctx context.Context, stop func()) error {
	local := isLocal(ix.store)
	seen := map[string]bool{}
	var batch []Profile
	var held uint64 // revision of the last change seen
	initial := true
	applied := func() {
		if held > ix.revision.Load() {
			ix.revision.Store(held)
		}
	}
	// first: when the batch's first change came; lastPut: when the last
	// batch was put.
	var first, lastPut time.Time
	linger := ix.linger
	if linger == 0 {
		linger = indexLinger
	}
	flush := func() error {
		if len(batch) > 0 {
			if err := ix.store.Put(ctx, batch...); err != nil {
				return err
			}
			batch = batch[:0]
			lastPut = time.Now()
		}
		applied()
		return nil
	}
	idle := func() (time.Duration, error) {
		if len(batch) > 0 && linger > 0 && first.Sub(lastPut) < linger {
			if wait := linger - time.Since(first); wait > 0 {
				return wait, nil
			}
		}
		return 0, flush()
	}
	var syncErr error
	err := ix.repo.watch(ctx, func(ev Event) error {
		defer func() {
			ix.progress.Store(time.Now().UnixNano())
			if hh := ix.health.Load(); hh != nil && hh.h != nil {
				hh.h.Progress()
			}
			if len(batch) == 0 {
				applied()
			}
		}()
		held = max(held, ev.Revision)
		if initial {
			if ev.Deleted {
				return nil
			}
			seen[ev.ID] = true
			if local {
				if cur, err := ix.store.Get(ctx, ev.ID); err == nil && cur.UpdatedAt.Equal(ev.Profile.UpdatedAt) && !ev.Profile.UpdatedAt.IsZero() {
					return nil
				}
			}
			batch = append(batch, ev.Profile)
			if len(batch) >= indexBatch {
				return flush()
			}
			return nil
		}
		if ev.Deleted {
			// The puts before it first: one of them may be this profile's.
			if err := flush(); err != nil {
				return err
			}
			return ix.store.Delete(ctx, ev.ID)
		}
		if len(batch) == 0 {
			first = time.Now()
		}
		batch = append(batch, ev.Profile)
		if len(batch) >= indexBatch {
			return flush()
		}
		return nil
	}, func() {
		initial = false
		if syncErr = flush(); syncErr != nil {
			return
		}
		var extra []string
		syncErr = ix.store.Each(ctx, func(p Profile) error {
			if !seen[p.ID] {
				extra = append(extra, p.ID)
			}
			return nil
		})
		for _, id := range extra {
			if syncErr != nil {
				break
			}
			syncErr = ix.store.Delete(ctx, id)
		}
		if syncErr != nil {
			return
		}
		seen = nil
		ix.setHealth(bus.StateRunning, nil)
		if !ix.synced.Swap(true) {
			ix.log.Info("search index in step with the profiles bucket", "removed", len(extra))
		}
		if stop != nil {
			stop()
		}
	}, idle)
	if syncErr != nil {
		return syncErr
	}
	return err
}

// isLocal reports an index cheap to read one document at a time.
func isLocal(s Store) bool {
	l, ok := s.(interface{ Local() bool })
	return ok && l.Local()
}

// Resetter is a Store that can drop every document at once.
type Resetter interface {
	Reset(ctx context.Context) error
}

// Reindex rebuilds the index from scratch: every document dropped, every
// profile of the bucket put again.
func (ix *Indexer) Reindex(ctx context.Context) (int, error) {
	if r, ok := ix.store.(Resetter); ok {
		if err := r.Reset(ctx); err != nil {
			return 0, fmt.Errorf("profiles: reindex: %w", err)
		}
	} else {
		var ids []string
		if err := ix.store.Each(ctx, func(p Profile) error { ids = append(ids, p.ID); return nil }); err != nil {
			return 0, fmt.Errorf("profiles: reindex: %w", err)
		}
		for _, id := range ids {
			if err := ix.store.Delete(ctx, id); err != nil {
				return 0, fmt.Errorf("profiles: reindex: %w", err)
			}
		}
	}
	ix.synced.Store(false)
	if err := ix.Sync(ctx); err != nil {
		return 0, err
	}
	ids, err := ix.repo.IDs(ctx)
	return len(ids), err
}

// MigrateToRepo copies the profiles of store into repo when repo holds
// none: the data dirs and Meilisearch indexes of versions that kept
// profiles in the search index move to the bucket on first start.
func MigrateToRepo(ctx context.Context, store Store, repo *Repo, log *slog.Logger) error {
	ids, err := repo.IDs(ctx)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		return nil
	}
	n := 0
	err = store.Each(ctx, func(p Profile) error {
		if err := repo.Put(ctx, p); err != nil {
			var fe *fieldError
			if errors.As(err, &fe) || errors.Is(err, ErrInvalid) {
				log.Warn("profile of the old index not moved: invalid", "profile_id", p.ID, "err", err)
				return nil
			}
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("profiles: move the old index's profiles to the bucket: %w", err)
	}
	if n > 0 {
		log.Info("profiles of an earlier version's index moved to the profiles bucket", "count", n)
	}
	return nil
}

// WaitFor blocks until the index has applied bucket revision rev, ctx
// ends, or the indexer is not following the bucket for longer than the
// caller waits (ctx's deadline).
func (ix *Indexer) WaitFor(ctx context.Context, rev uint64) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for ix.revision.Load() < rev {
		select {
		case <-ctx.Done():
			return fmt.Errorf("profiles: index at revision %d, waiting for %d: %w", ix.revision.Load(), rev, ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
