package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/profiles"
)

// importApp is an App with only what importProfiles uses: the profiles
// bucket on a real embedded NATS server (no search index).
func importApp(t testing.TB, workers int) *App {
	t.Helper()
	repo, err := profiles.OpenRepo(context.Background(), natstest.JetStream(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return &App{log: slog.New(slog.NewTextHandler(io.Discard, nil)), repo: repo, importWorkers: workers}
}

// importScenario is a bucket's starting profiles and an import file of
// rows over a pool of ids and a smaller pool of addresses: ids repeat
// (rejected as duplicates, in a batch and across batches), addresses
// repeat in a batch and across batches (the later row finds it taken),
// rows take addresses that stored profiles written by the same import
// give up, graduates' own profiles keep their address, some addresses
// are invalid.
func importScenario(seed uint64, rows int) (stored []profiles.Profile, file []byte) {
	r := rand.New(rand.NewPCG(seed, 12))
	const trades = 60 // the first stored profiles: each gives its address up to a row near it
	nIDs, nAddrs := rows*3, rows*2
	addr := func(i int) string { return fmt.Sprintf("g%d@example.org", i) }
	perm := r.Perm(nAddrs)
	for i := range nIDs / 3 {
		p := profiles.Profile{ID: fmt.Sprintf("p%05d", i), Name: "Stored", Cohort: "Promo 2023", Email: addr(perm[i])}
		if i >= trades && r.IntN(4) == 0 {
			p.Source = profiles.SourceSelf
		}
		stored = append(stored, p)
	}
	var ps []profiles.Profile
	for k := range rows - 2*trades {
		p := profiles.Profile{ID: fmt.Sprintf("p%05d", trades+r.IntN(nIDs-trades)), Name: fmt.Sprintf("Row %d", k), Cohort: "Promo 2025",
			Skills: []string{"SQL"}, Seeking: profiles.Seeking{Workplace: []string{"remote"}}}
		switch x := r.IntN(100); {
		case x < 80:
			p.Email = addr(r.IntN(nAddrs))
			if x < 10 {
				p.Email = strings.ToUpper(p.Email)
			}
		case x < 97:
			if k%2 == 0 {
				p.Skills, p.Seeking = nil, profiles.Seeking{}
			}
		default:
			p.Email = "not an address"
		}
		ps = append(ps, p)
	}
	// Trades: a stored profile moves to a new address and a new graduate
	// wants its old one, a few rows apart, in either order (the new
	// graduate gets it only after the move).
	for i := range trades {
		move := profiles.Profile{ID: stored[i].ID, Name: "Moved", Cohort: "Promo 2025", Email: fmt.Sprintf("moved%d@example.org", i)}
		want := profiles.Profile{ID: fmt.Sprintf("n%05d", i), Name: "Newcomer", Cohort: "Promo 2025", Email: stored[i].Email}
		at := r.IntN(len(ps) - 20)
		first, second := move, want
		if r.IntN(2) == 0 {
			first, second = want, move
		}
		ps = slices.Insert(ps, at+1+r.IntN(10), second)
		ps = slices.Insert(ps, at, first)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range ps {
		if err := enc.Encode(p); err != nil {
			panic(err)
		}
	}
	return stored, buf.Bytes()
}

// sequentialImport is the import as it was before its rows were written
// concurrently: each row of each batch merged into the bucket with
// Repo.Update, one after the other in file order. It returns the report
// importProfiles would make.
func sequentialImport(t *testing.T, repo *profiles.Repo, file []byte) profiles.ImportReport {
	t.Helper()
	ctx := context.Background()
	var created, updated int
	rep, err := profiles.ImportEachBatches(bytes.NewReader(file), importBatch, nil, func(b profiles.ImportBatch) ([]*profiles.LineError, error) {
		now := time.Now()
		var refused []*profiles.LineError
		for i, p := range b.Profiles {
			existed := false
			_, err := repo.Update(ctx, p.ID, func(cur *profiles.Profile) (profiles.Profile, error) {
				existed = cur != nil
				return profiles.MergeImport(cur, p, now), nil
			})
			switch {
			case errors.Is(err, profiles.ErrEmailTaken), errors.Is(err, profiles.ErrInvalid):
				refused = append(refused, b.Refuse(i, "email", err))
			case err != nil:
				return refused, err
			case existed:
				updated++
			default:
				created++
			}
		}
		return refused, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep.Created, rep.Updated = created, updated
	return rep
}

// bucketState is every profile of repo (without the times an import
// sets) and the profile each address of the scenario leads to.
func bucketState(t *testing.T, repo *profiles.Repo, nAddrs int) (map[string]string, map[string]string) {
	t.Helper()
	ctx := context.Background()
	ps := map[string]string{}
	if err := repo.Each(ctx, func(p profiles.Profile) error {
		p.UpdatedAt, p.Consent.SetAt = time.Time{}, nil
		b, err := json.Marshal(p)
		ps[p.ID] = string(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	owners := map[string]string{}
	for i := range nAddrs {
		a := fmt.Sprintf("g%d@example.org", i)
		switch p, err := repo.ByEmail(ctx, a); {
		case err == nil:
			owners[a] = p.ID
		case !errors.Is(err, profiles.ErrNotFound):
			t.Fatal(err)
		}
	}
	return ps, owners
}

// TestImportConcurrentIsSequential: importing a file whose rows share ids
// and addresses, in a batch and across batches, with rows writing 16 at a
// time gives the report (created, updated, rejected, and each rejected
// line with its number and field) and the bucket (every profile, every
// address's owner) that writing the rows one after the other gives; a
// second import of the same file over the first too (then mostly
// updates).
func TestImportConcurrentIsSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	ctx := context.Background()
	const rows = 1300 // three batches
	stored, file := importScenario(12, rows)
	seq, conc := importApp(t, 1), importApp(t, 16)
	for _, a := range []*App{seq, conc} {
		for _, p := range stored {
			if err := a.repo.Put(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	for pass := 1; pass <= 2; pass++ {
		want := sequentialImport(t, seq.repo, file)
		got, err := conc.ImportProfiles(ctx, bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("pass %d: created %d, updated %d, imported %d, rejected %d (sequential: %d %d %d %d)", pass,
			got.Created, got.Updated, got.Imported, got.Rejected, want.Created, want.Updated, want.Imported, want.Rejected)
		if got.Created != want.Created || got.Updated != want.Updated || got.Imported != want.Imported || got.Rejected != want.Rejected {
			t.Errorf("pass %d: created %d, updated %d, imported %d, rejected %d; sequential %d, %d, %d, %d", pass,
				got.Created, got.Updated, got.Imported, got.Rejected, want.Created, want.Updated, want.Imported, want.Rejected)
		}
		taken := 0
		for i := range min(len(got.Errors), len(want.Errors)) {
			g, w := got.Errors[i], want.Errors[i]
			if g.Line != w.Line || g.Field != w.Field || g.Line == 0 {
				t.Errorf("pass %d: rejection %d is line %d field %q (%v); sequential line %d field %q (%v)", pass, i, g.Line, g.Field, g, w.Line, w.Field, w)
			}
			if errors.Is(g.Err, profiles.ErrEmailTaken) != errors.Is(w.Err, profiles.ErrEmailTaken) {
				t.Errorf("pass %d: line %d: %v; sequential %v", pass, g.Line, g, w)
			}
			if errors.Is(g.Err, profiles.ErrEmailTaken) {
				taken++
				if m, ok := profiles.MsgOf(g.Err); !ok || m.Key != profiles.MsgEmailTaken {
					t.Errorf("pass %d: line %d: refusal without its message: %v", pass, g.Line, g)
				}
			}
		}
		if len(got.Errors) != len(want.Errors) {
			t.Errorf("pass %d: %d errors kept, sequential %d", pass, len(got.Errors), len(want.Errors))
		}
		if pass == 1 && (taken == 0 || want.Created == 0 || want.Updated == 0) {
			t.Fatalf("the scenario refused no taken address (%d) or created (%d) or updated (%d) nothing: it tests nothing", taken, want.Created, want.Updated)
		}
		gotPs, gotOwners := bucketState(t, conc.repo, rows*2)
		wantPs, wantOwners := bucketState(t, seq.repo, rows*2)
		if len(gotPs) != len(wantPs) || len(gotOwners) != len(wantOwners) {
			t.Errorf("pass %d: %d profiles, %d addresses with an owner; sequential %d, %d", pass, len(gotPs), len(gotOwners), len(wantPs), len(wantOwners))
		}
		for id, w := range wantPs {
			if gotPs[id] != w {
				t.Errorf("pass %d: profile %s is\n%s\nsequential:\n%s", pass, id, gotPs[id], w)
			}
		}
		for a, w := range wantOwners {
			if gotOwners[a] != w {
				t.Errorf("pass %d: %s leads to %q, sequential %q", pass, a, gotOwners[a], w)
			}
		}
	}
}

// TestImportDryRunCountsConcurrently: a dry run, reading 16 profiles at a
// time, counts what the import then does, and stores nothing.
func TestImportDryRunCountsConcurrently(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	ctx := context.Background()
	stored, file := importScenario(5, 1100)
	a := importApp(t, 16)
	for _, p := range stored {
		if err := a.repo.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	dry, err := a.ImportProfilesDryRun(ctx, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := a.repo.IDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(stored) {
		t.Fatalf("a dry run stored profiles: %d in the bucket, %d before", len(ids), len(stored))
	}
	rep, err := a.ImportProfiles(ctx, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	// The dry run cannot know which addresses the import will find
	// taken: those rows count as created or updated in it.
	if dry.Created+dry.Updated != rep.Created+rep.Updated+rep.Rejected-dry.Rejected || dry.Updated < rep.Updated || !dry.DryRun {
		t.Errorf("dry run %+v; import %+v", dry, rep)
	}
	if dry.NoSeeking != rep.NoSeeking || dry.NoSkills != rep.NoSkills || dry.NoSkills == 0 {
		t.Errorf("dry run lacks: %d seeking, %d skills; import: %d, %d", dry.NoSeeking, dry.NoSkills, rep.NoSeeking, rep.NoSkills)
	}
}
