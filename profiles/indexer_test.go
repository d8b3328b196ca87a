package profiles_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/profiles"
)

// countingStore counts the Put calls and profiles an indexer makes.
type countingStore struct {
	*profiles.BleveStore
	calls, docs atomic.Int64
}

func (c *countingStore) Put(ctx context.Context, ps ...profiles.Profile) error {
	c.calls.Add(1)
	c.docs.Add(int64(len(ps)))
	return c.BleveStore.Put(ctx, ps...)
}

// TestIndexerBatchesChangesAndWaitForMeansApplied: a burst of bucket
// writes (creations, updates of the same profile, deletes between them)
// is applied in batches, and once WaitFor returns for the bucket's last
// revision the index holds exactly the bucket, with no wait; a lone edit
// afterwards is applied without a further change to push it.
func TestIndexerBatchesChangesAndWaitForMeansApplied(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	repo, err := profiles.OpenRepo(ctx, natstest.JetStream(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := profiles.OpenBleve(profiles.BleveConfig{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{BleveStore: bs}
	defer store.Close()
	ix := profiles.NewIndexer(repo, store, nil)
	if err := ix.Start(ctx); err != nil {
		t.Fatal(err)
	}
	prof := func(i int, name string) profiles.Profile {
		return profiles.Profile{ID: fmt.Sprintf("ix-%03d", i), Name: name, Email: fmt.Sprintf("ix%d@example.org", i), City: "Oujda",
			Skills: []string{"SQL"}, Consent: profiles.Consent{Searchable: true}}
	}
	want := map[string]string{} // id -> name the index must hold
	const n = 300
	for i := range n {
		p := prof(i, fmt.Sprintf("first %d", i))
		if err := repo.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
		want[p.ID] = p.Name
		switch i % 10 {
		case 3: // updated right away: the later version wins
			p.Name = fmt.Sprintf("second %d", i)
			if err := repo.Put(ctx, p); err != nil {
				t.Fatal(err)
			}
			want[p.ID] = p.Name
		case 5: // deleted right after its put
			if err := repo.Delete(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			delete(want, p.ID)
		case 7: // deleted, then put again
			if err := repo.Delete(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			p.Name = fmt.Sprintf("back %d", i)
			if err := repo.Put(ctx, p); err != nil {
				t.Fatal(err)
			}
			want[p.ID] = p.Name
		}
	}
	check := func(stage string) {
		t.Helper()
		rev, err := repo.LastRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
		defer wcancel()
		if err := ix.WaitFor(wctx, rev); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		for i := range n {
			id := fmt.Sprintf("ix-%03d", i)
			got, err := store.Get(ctx, id)
			name, ok := want[id]
			switch {
			case ok && err != nil:
				t.Fatalf("%s: %s not in the index once WaitFor returned: %v", stage, id, err)
			case ok && got.Name != name:
				t.Fatalf("%s: %s is %q in the index, want %q", stage, id, got.Name, name)
			case !ok && !errors.Is(err, profiles.ErrNotFound):
				t.Fatalf("%s: %s deleted from the bucket but in the index (%v)", stage, id, err)
			}
		}
		res, err := store.Search(ctx, profiles.Query{Limit: 1})
		if err != nil || res.Total != len(want) {
			t.Fatalf("%s: index holds %d profiles (%v), want %d", stage, res.Total, err, len(want))
		}
	}
	check("burst")
	t.Logf("burst: %d profiles put in %d calls", store.docs.Load(), store.calls.Load())
	p := prof(1, "lone edit")
	if err := repo.Put(ctx, p); err != nil {
		t.Fatal(err)
	}
	want[p.ID] = p.Name
	check("lone edit")
}

// TestIndexerLingersOnlyWhileChangesStream: a change after a quiet spell
// is put at once; a change right after a put (changes streaming in) waits
// for more, up to the linger, then is put without a further change.
func TestIndexerLingersOnlyWhileChangesStream(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	repo, err := profiles.OpenRepo(ctx, natstest.JetStream(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := profiles.OpenBleve(profiles.BleveConfig{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{BleveStore: bs}
	defer store.Close()
	ix := profiles.NewIndexer(repo, store, nil)
	const linger = 3 * time.Second
	profiles.SetIndexerLinger(ix, linger)
	if err := ix.Start(ctx); err != nil {
		t.Fatal(err)
	}
	put := func(id string) uint64 {
		t.Helper()
		if err := repo.Put(ctx, profiles.Profile{ID: id, Name: id, Email: id + "@example.org"}); err != nil {
			t.Fatal(err)
		}
		rev, err := repo.LastRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rev
	}
	// Nothing was put since the start: a quiet spell.
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	rev := put("lone")
	wctx, wcancel := context.WithTimeout(ctx, linger-500*time.Millisecond)
	err = ix.WaitFor(wctx, rev)
	wcancel()
	if err != nil {
		t.Fatalf("a change after a quiet spell waited for more: %v", err)
	}
	calls := store.calls.Load()
	t.Logf("lone change applied after %v", time.Since(start))

	start = time.Now()
	rev = put("streamed")
	time.Sleep(time.Second)
	if ix.Revision() >= rev || store.calls.Load() != calls {
		t.Fatalf("a change right after a put was applied within %v, before the linger (%v)", time.Since(start), linger)
	}
	wctx, wcancel = context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := ix.WaitFor(wctx, rev); err != nil {
		t.Fatalf("the lingering change was never applied: %v", err)
	}
	if waited := time.Since(start); waited < linger-100*time.Millisecond {
		t.Errorf("the lingering change was applied after %v, before the linger (%v) with no other change", waited, linger)
	}
	if _, err := store.Get(ctx, "streamed"); err != nil {
		t.Fatal(err)
	}
}
