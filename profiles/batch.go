package profiles

import (
	"context"
	"strings"
	"sync"
)

// BatchRow is one update of an UpdateBatch: the profile id, and the
// address fn gives that profile when it gives it one of its own (an
// import row's e-mail; empty when it keeps the stored one).
type BatchRow struct {
	ID    string
	Email string
}

// BatchResult is what one row of an UpdateBatch did.
type BatchResult struct {
	Profile Profile // what was stored (zero on error)
	Existed bool    // the profile was there before the row
	Err     error   // fn's error, a refusal (ErrEmailTaken…) or a failure
}

// BatchOptions tune an UpdateBatch.
type BatchOptions struct {
	// Workers is how many rows are written at a time (1 when < 1).
	Workers int
	// AssumeNew: most rows are probably new profiles. Each row then
	// claims its address and creates its key without reading it first,
	// and reads it only when it is there: two acknowledged round trips
	// instead of three for a new profile, more for one that exists. The
	// outcome is the same either way.
	AssumeNew bool
}

// UpdateBatch runs Update(rows[i].ID, fn(i, ·)) for every row, up to
// o.Workers at a time, and returns each row's result in row order. The
// outcome is the one of running the rows one after the other in row
// order: rows that share an id or an address (rows[i].Email, or the
// address the stored profile has) wait for the earlier ones, so an
// address given up by one row is free for a later row and taken for an
// earlier one, as it would be in turn. fn is called from several
// goroutines, maybe more than once for a row (as Update may).
//
// Writes made meanwhile by others (a graduate's edit) interleave with the
// rows as they would with Update calls.
func (r *Repo) UpdateBatch(ctx context.Context, rows []BatchRow, o BatchOptions, fn func(i int, cur *Profile) (Profile, error)) []BatchResult {
	n := len(rows)
	res := make([]BatchResult, n)
	if n == 0 {
		return res
	}
	workers := min(max(o.Workers, 1), n)
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	// The earlier rows each row waits for before it starts: the last one
	// with its id and the last one with its address (each waited for
	// its own predecessors, so that is all of them).
	deps := make([][2]int, n)
	idRows := make(map[string][]int, n)      // id -> its rows, in order
	rowsOfEmail := make(map[string][]int, n) // address key -> its rows, in order
	lastOfEmail := make(map[string]int, n)   // address key -> its last row so far
	for i, row := range rows {
		deps[i] = [2]int{-1, -1}
		if js := idRows[row.ID]; len(js) > 0 {
			deps[i][0] = js[len(js)-1]
		}
		idRows[row.ID] = append(idRows[row.ID], i)
		if e := strings.TrimSpace(row.Email); e != "" {
			k := emailKey(e)
			if j, ok := lastOfEmail[k]; ok {
				deps[i][1] = j
			}
			lastOfEmail[k] = i
			rowsOfEmail[k] = append(rowsOfEmail[k], i)
		}
	}
	// wait blocks until row j (< i) is done; it reports whether it had to.
	wait := func(j int) (bool, error) {
		select {
		case <-done[j]:
			return false, nil
		default:
		}
		select {
		case <-done[j]:
			return true, nil
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	// lastBefore is the last of list (rows in order) before row i, or
	// -1: the rows of an id or an address are chained, so waiting for the
	// last earlier one is enough.
	lastBefore := func(list []int, i int) int {
		j := -1
		for _, k := range list {
			if k >= i {
				break
			}
			j = k
		}
		return j
	}
	run := func(i int) {
		defer close(done[i])
		for _, j := range deps[i] {
			if j >= 0 {
				if _, err := wait(j); err != nil {
					res[i].Err = err
					return
				}
			}
		}
		row := rows[i]
		own := ""
		if e := strings.TrimSpace(row.Email); e != "" {
			own = emailKey(e)
		}
		opts := updateOpts{
			assumeNew: o.AssumeNew,
			// The address this row claims is held by another profile:
			// if an earlier row writes that profile, its outcome decides
			// whether the address is still taken.
			owned: func(owner string) bool {
				j := lastBefore(idRows[owner], i)
				if j < 0 {
					return false
				}
				waited, _ := wait(j)
				return waited
			},
		}
		p, existed, err := r.update(ctx, row.ID, func(cur *Profile) (Profile, error) {
			// This row may give up the stored profile's address: an
			// earlier row that wants it must try first (it finds it
			// taken, as it would have in turn).
			if cur != nil && strings.TrimSpace(cur.Email) != "" {
				if k := emailKey(cur.Email); k != own {
					if j := lastBefore(rowsOfEmail[k], i); j >= 0 {
						if _, err := wait(j); err != nil {
							return Profile{}, err
						}
					}
				}
			}
			return fn(i, cur)
		}, opts)
		res[i] = BatchResult{Profile: p, Existed: existed, Err: err}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				run(i)
			}
		})
	}
	// Rows start in order: every row a running row waits for has
	// started, so the earliest unfinished row never waits.
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return res
}
