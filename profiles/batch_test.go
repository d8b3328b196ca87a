package profiles_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/profiles"
)

// batchScenario is a bucket's starting profiles and a batch of import
// rows over few ids and fewer addresses, so that rows share ids and
// addresses, give up addresses that other rows want (in either order),
// and meet graduates' own profiles (whose address an import keeps).
type batchScenario struct {
	seed []profiles.Profile
	rows []profiles.Profile
}

func newBatchScenario(r *rand.Rand, prefix string) batchScenario {
	const ids, addrs = 14, 9
	id := func(i int) string { return fmt.Sprintf("%s-p%02d", prefix, i) }
	addr := func(i int) string { return fmt.Sprintf("%s-a%d@example.org", prefix, i) }
	var sc batchScenario
	perm := r.Perm(addrs)
	for i := range ids / 2 {
		p := profiles.Profile{ID: id(i), Name: "Seed " + id(i), Cohort: "Promo 2024"}
		if i < len(perm) && r.IntN(5) > 0 {
			p.Email = addr(perm[i]) // distinct addresses, as the index makes them
		}
		if r.IntN(4) == 0 {
			p.Source = profiles.SourceSelf
		}
		sc.seed = append(sc.seed, p)
	}
	for k := range 40 {
		p := profiles.Profile{ID: id(r.IntN(ids)), Name: fmt.Sprintf("Row %d", k), Cohort: "Promo 2025", Skills: []string{"SQL"}}
		switch x := r.IntN(10); {
		case x < 7:
			p.Email = addr(r.IntN(addrs))
			if r.IntN(3) == 0 {
				p.Email = strings.ToUpper(p.Email) // the same address
			}
		case x < 9:
		default:
			p.Email = "not an address" // refused by Validate
		}
		sc.rows = append(sc.rows, p)
	}
	return sc
}

// batchOutcome is what a batch did: each row's result, the profiles
// stored, and the profile each address leads to.
type batchOutcome struct {
	rows     []string
	stored   map[string]string
	byEmail  map[string]string // address -> the profile ByEmail finds
	entries  map[string]string // address -> the index entry, stale or not
	refusals int
}

func outcomeOf(t *testing.T, ctx context.Context, repo *profiles.Repo, sc batchScenario, res []profiles.BatchResult, prefix string) batchOutcome {
	t.Helper()
	o := batchOutcome{stored: map[string]string{}, byEmail: map[string]string{}, entries: map[string]string{}}
	for i, r := range res {
		s := "created"
		switch {
		case errors.Is(r.Err, profiles.ErrEmailTaken):
			s = "taken"
			o.refusals++
		case errors.Is(r.Err, profiles.ErrInvalid):
			s = "invalid"
			o.refusals++
		case r.Err != nil:
			t.Fatalf("row %d: %v", i, r.Err)
		case r.Existed:
			s = "updated"
		}
		if r.Err == nil {
			s += " " + r.Profile.Email
		}
		o.rows = append(o.rows, s)
	}
	ids, err := repo.IDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, prefix+"-") {
			continue
		}
		p, err := repo.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p.UpdatedAt = time.Time{}
		b, _ := json.Marshal(p)
		o.stored[strings.TrimPrefix(id, prefix)] = string(b)
	}
	for i := range 9 {
		a := fmt.Sprintf("%s-a%d@example.org", prefix, i)
		owner, err := profiles.EmailEntry(ctx, repo, a)
		if err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			o.entries[fmt.Sprint(i)] = strings.TrimPrefix(owner, prefix)
		}
		p, err := repo.ByEmail(ctx, a)
		switch {
		case err == nil:
			o.byEmail[fmt.Sprint(i)] = strings.TrimPrefix(p.ID, prefix)
		case !errors.Is(err, profiles.ErrNotFound):
			t.Fatal(err)
		}
	}
	return o
}

// TestUpdateBatchIsTheSequentialOutcome: a batch written 16 rows at a time
// (reading first, or creating first) stores exactly what writing its rows
// one after the other with Update stores, refuses the same rows, and
// leaves every address leading to the same profile, on scenarios where
// rows share ids and addresses and trade addresses.
func TestUpdateBatchIsTheSequentialOutcome(t *testing.T) {
	ctx := context.Background()
	repo, err := profiles.OpenRepo(ctx, natstest.JetStream(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	trials := 12
	if testing.Short() {
		trials = 4
	}
	refusals, waitedOrders := 0, 0
	for trial := range trials {
		var want batchOutcome
		for _, mode := range []string{"seq", "conc", "concnew"} {
			prefix := fmt.Sprintf("t%d%s", trial, mode)
			// The same scenario under each mode's prefix.
			sc := newBatchScenario(rand.New(rand.NewPCG(uint64(trial), 7)), "X")
			rename := func(p profiles.Profile) profiles.Profile {
				p.ID = strings.Replace(p.ID, "X-", prefix+"-", 1)
				p.Email = strings.Replace(p.Email, "X-", prefix+"-", 1)
				return p
			}
			for i := range sc.seed {
				sc.seed[i] = rename(sc.seed[i])
				if err := repo.Put(ctx, sc.seed[i]); err != nil {
					t.Fatal(err)
				}
			}
			for i := range sc.rows {
				sc.rows[i] = rename(sc.rows[i])
			}
			merge := func(i int, cur *profiles.Profile) (profiles.Profile, error) {
				return profiles.MergeImport(cur, sc.rows[i], now), nil
			}
			var res []profiles.BatchResult
			if mode == "seq" {
				for i, p := range sc.rows {
					existed := false
					stored, err := repo.Update(ctx, p.ID, func(cur *profiles.Profile) (profiles.Profile, error) {
						existed = cur != nil
						return merge(i, cur)
					})
					res = append(res, profiles.BatchResult{Profile: stored, Existed: existed, Err: err})
				}
			} else {
				rows := make([]profiles.BatchRow, len(sc.rows))
				for i, p := range sc.rows {
					rows[i] = profiles.BatchRow{ID: p.ID, Email: p.Email}
				}
				res = repo.UpdateBatch(ctx, rows, profiles.BatchOptions{Workers: 16, AssumeNew: mode == "concnew"}, merge)
			}
			got := outcomeOf(t, ctx, repo, sc, res, prefix)
			if mode == "seq" {
				want = got
				refusals += got.refusals
				continue
			}
			for i := range want.rows {
				if got.rows[i] != strings.ReplaceAll(want.rows[i], strings.ToLower(fmt.Sprintf("t%dseq", trial)), strings.ToLower(prefix)) {
					t.Errorf("trial %d %s row %d (%s %q): %s, sequential %s", trial, mode, i, sc.rows[i].ID, sc.rows[i].Email, got.rows[i], want.rows[i])
				}
			}
			seqPrefix := fmt.Sprintf("t%dseq", trial)
			for id, w := range want.stored {
				w = strings.ReplaceAll(w, seqPrefix, prefix)
				w = strings.ReplaceAll(w, strings.ToLower(seqPrefix), strings.ToLower(prefix))
				if got.stored[id] != w {
					t.Errorf("trial %d %s: profile %s is\n%s\nsequential:\n%s", trial, mode, id, got.stored[id], w)
				}
			}
			if len(got.stored) != len(want.stored) {
				t.Errorf("trial %d %s: %d profiles stored, sequential %d", trial, mode, len(got.stored), len(want.stored))
			}
			for a, w := range want.byEmail {
				if got.byEmail[a] != w {
					t.Errorf("trial %d %s: address %s leads to %q, sequential %q", trial, mode, a, got.byEmail[a], w)
				}
			}
			for a, w := range want.entries {
				if got.entries[a] != w {
					t.Errorf("trial %d %s: the index entry of address %s is %q, sequential %q", trial, mode, a, got.entries[a], w)
				}
			}
			if len(got.entries) != len(want.entries) {
				t.Errorf("trial %d %s: %d address index entries, sequential %d", trial, mode, len(got.entries), len(want.entries))
			}
			if len(got.byEmail) != len(want.byEmail) {
				t.Errorf("trial %d %s: %d addresses lead to a profile, sequential %d", trial, mode, len(got.byEmail), len(want.byEmail))
			}
		}
		if trades := tradedAddresses(newBatchScenario(rand.New(rand.NewPCG(uint64(trial), 7)), "X")); trades > 0 {
			waitedOrders++
		}
	}
	if refusals == 0 || waitedOrders == 0 {
		t.Fatalf("the scenarios never refused a row (%d) or traded an address (%d): they test nothing", refusals, waitedOrders)
	}
	t.Logf("%d trials, %d rows refused in all, %d trials with a row taking an address a stored profile of the batch had", trials, refusals, waitedOrders)
}

// tradedAddresses counts rows that want an address a seeded profile
// written by another row of the batch has.
func tradedAddresses(sc batchScenario) int {
	holder := map[string]string{}
	for _, p := range sc.seed {
		if p.Email != "" {
			holder[strings.ToLower(p.Email)] = p.ID
		}
	}
	inBatch := map[string]bool{}
	for _, p := range sc.rows {
		inBatch[p.ID] = true
	}
	n := 0
	for _, p := range sc.rows {
		if h, ok := holder[strings.ToLower(p.Email)]; ok && h != p.ID && inBatch[h] {
			n++
		}
	}
	return n
}

// TestImportBatchesRefusalsNameTheirLine: rows the store refuses are
// rejected lines with their own line number (and, in a spreadsheet, the
// column of the field), counted as rejected and not imported, and the
// report keeps its first MaxKeptLineErrors errors by line even though the
// store refuses a batch's rows after the parser rejected later lines.
func TestImportBatchesRefusalsNameTheirLine(t *testing.T) {
	refuseEmails := func(b profiles.ImportBatch) ([]*profiles.LineError, error) {
		var out []*profiles.LineError
		for i, p := range b.Profiles {
			if strings.HasPrefix(p.Email, "taken") {
				out = append(out, b.Refuse(i, "email", profiles.MsgError(profiles.Msg{Key: profiles.MsgEmailTaken, Args: []any{p.ID}}, nil)))
			}
		}
		return out, nil
	}
	// JSON lines: 400 rows; every 7th line is malformed, every 5th valid
	// one the store refuses. Batches of 50, so each batch's refusals come
	// after parser rejections of later lines.
	var jl strings.Builder
	wantLines := []int{}
	imported := 0
	for line := 1; line <= 400; line++ {
		switch {
		case line%7 == 0:
			jl.WriteString("{not json\n")
			wantLines = append(wantLines, line)
		case line%5 == 0:
			fmt.Fprintf(&jl, `{"id":"g%d","name":"G","email":"taken%d@example.org"}`+"\n", line, line)
			wantLines = append(wantLines, line)
		default:
			fmt.Fprintf(&jl, `{"id":"g%d","name":"G","email":"g%d@example.org"}`+"\n", line, line)
			imported++
		}
	}
	rep, err := profiles.ImportEachBatches(strings.NewReader(jl.String()), 50, nil, refuseEmails)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != imported || rep.Rejected != len(wantLines) {
		t.Fatalf("imported %d, rejected %d; want %d and %d", rep.Imported, rep.Rejected, imported, len(wantLines))
	}
	if len(rep.Errors) != profiles.MaxKeptLineErrors {
		t.Fatalf("%d errors kept, want %d", len(rep.Errors), profiles.MaxKeptLineErrors)
	}
	for i, le := range rep.Errors {
		if le.Line != wantLines[i] {
			t.Fatalf("error %d is line %d (%v), want line %d", i, le.Line, le, wantLines[i])
		}
		if wantLines[i]%7 != 0 && (le.Field != "email" || !strings.Contains(le.Error(), fmt.Sprintf("line %d:", le.Line))) {
			t.Errorf("refused line %d reads %q, field %q", le.Line, le.Error(), le.Field)
		}
	}

	// A spreadsheet: the refusal names the row and the e-mail column.
	csv := "Nom;Courriel\nAmina;a@example.org\nKarim;taken@example.org\nSara;s@example.org\n"
	rep, err = profiles.ImportCSVBatches(strings.NewReader(csv), 500, nil, refuseEmails)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || rep.Rejected != 1 || len(rep.Errors) != 1 {
		t.Fatalf("csv: imported %d, rejected %d, errors %v", rep.Imported, rep.Rejected, rep.Errors)
	}
	if le := rep.Errors[0]; le.Line != 3 || le.Column != "Courriel" || le.Field != "email" {
		t.Errorf("csv refusal is line %d, column %q, field %q (%v); want row 3, column Courriel", le.Line, le.Column, le.Field, le)
	}
}

// TestUpdateBatchInterruptedKeepsAddressesConsistent: a batch cut short
// (its context cancelled while rows are being written, as a kill would
// stop it) leaves every stored address leading to its profile and no
// address on two profiles; so does finishing it afterwards.
func TestUpdateBatchInterruptedKeepsAddressesConsistent(t *testing.T) {
	repo, err := profiles.OpenRepo(context.Background(), natstest.JetStream(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	check := func(prefix, when string) {
		t.Helper()
		ctx := context.Background()
		ids, err := repo.IDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		owner := map[string]string{}
		for _, id := range ids {
			if !strings.HasPrefix(id, prefix+"-") {
				continue
			}
			p, err := repo.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Email == "" {
				continue
			}
			k := strings.ToLower(p.Email)
			if o, ok := owner[k]; ok {
				t.Errorf("%s: %s and %s both have %s", when, o, id, p.Email)
			}
			owner[k] = id
			if q, err := repo.ByEmail(ctx, p.Email); err != nil || q.ID != id {
				t.Errorf("%s: %s leads to %q (%v), not to %s", when, p.Email, q.ID, err, id)
			}
		}
	}
	cut := 0
	for trial := range 8 {
		prefix := fmt.Sprintf("k%d", trial)
		sc := newBatchScenario(rand.New(rand.NewPCG(uint64(trial), 9)), prefix)
		for _, p := range sc.seed {
			if err := repo.Put(context.Background(), p); err != nil {
				t.Fatal(err)
			}
		}
		rows := make([]profiles.BatchRow, len(sc.rows))
		for i, p := range sc.rows {
			rows[i] = profiles.BatchRow{ID: p.ID, Email: p.Email}
		}
		merge := func(i int, cur *profiles.Profile) (profiles.Profile, error) {
			return profiles.MergeImport(cur, sc.rows[i], time.Now()), nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+trial)*time.Millisecond)
		res := repo.UpdateBatch(ctx, rows, profiles.BatchOptions{Workers: 16, AssumeNew: trial%2 == 0}, merge)
		cancel()
		for _, r := range res {
			if r.Err != nil && errors.Is(r.Err, context.DeadlineExceeded) {
				cut++
				break
			}
		}
		check(prefix, fmt.Sprintf("trial %d, cut short", trial))
		for _, r := range repo.UpdateBatch(context.Background(), rows, profiles.BatchOptions{Workers: 16, AssumeNew: trial%2 == 1}, merge) {
			if r.Err != nil && !errors.Is(r.Err, profiles.ErrInvalid) {
				t.Fatalf("trial %d, finished: %v", trial, r.Err)
			}
		}
		check(prefix, fmt.Sprintf("trial %d, finished", trial))
	}
	if cut == 0 {
		t.Fatal("no batch was cut short: the test tests nothing")
	}
	t.Logf("%d of 8 batches cut short", cut)
}
