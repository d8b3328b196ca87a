package profiles

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
)

// The profile repository: the JetStream KV bucket bus.KVProfiles is the
// source of truth for profiles (replicated on a cluster). Imports, the
// graduates' edits and the CLI write there; the matcher and the search
// indexer watch it; the notifier reads it. A second bucket,
// bus.KVProfileEmails, maps each address to its profile, so an address
// belongs to one profile and "send me my link" finds it without a search
// index.

// ErrEmailTaken is returned when a profile would take an address another
// profile has.
var ErrEmailTaken = errors.New("profiles: e-mail address already used by another profile")

// Repo is the KV-backed profile repository. Its methods are safe for
// concurrent use, across processes too: writes are revision-checked.
type Repo struct {
	kv     jetstream.KeyValue
	emails jetstream.KeyValue
	now    func() time.Time
	log    *slog.Logger
}

// OpenRepo binds the profile buckets (bus.Setup creates them).
func OpenRepo(ctx context.Context, js jetstream.JetStream, log *slog.Logger) (*Repo, error) {
	kv, err := js.KeyValue(ctx, bus.KVProfiles)
	if err != nil {
		return nil, fmt.Errorf("profiles: open bucket %s: %w", bus.KVProfiles, err)
	}
	emails, err := js.KeyValue(ctx, bus.KVProfileEmails)
	if err != nil {
		return nil, fmt.Errorf("profiles: open bucket %s: %w", bus.KVProfileEmails, err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Repo{kv: kv, emails: emails, now: time.Now, log: log}, nil
}

// profileKey is the KV key of a profile id.
func profileKey(id string) string { return bus.KeyToken(id) }

// emailKey is the KV key of an address: a hash of its folded form, so the
// bucket's keys do not spell addresses.
func emailKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:16])
}

// Get returns the profile with id, or an error wrapping ErrNotFound.
func (r *Repo) Get(ctx context.Context, id string) (Profile, error) {
	p, _, err := r.get(ctx, id)
	return p, err
}

func (r *Repo) get(ctx context.Context, id string) (Profile, uint64, error) {
	e, err := r.kv.Get(ctx, profileKey(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Profile{}, 0, fmt.Errorf("profiles: %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Profile{}, 0, fmt.Errorf("profiles: get %q: %w", id, err)
	}
	var p Profile
	if err := json.Unmarshal(e.Value(), &p); err != nil {
		return Profile{}, 0, fmt.Errorf("profiles: decode %q: %w", id, err)
	}
	return p, e.Revision(), nil
}

// Put stores p (normalized, validated, UpdatedAt set), replacing any
// profile with its id.
func (r *Repo) Put(ctx context.Context, p Profile) error {
	_, err := r.Update(ctx, p.ID, func(*Profile) (Profile, error) { return p, nil })
	return err
}

// Update reads the profile with id (nil when there is none), lets fn make
// the new one, and stores it if nothing changed it meanwhile; otherwise it
// reads again and calls fn again. The address index follows. It returns
// what was stored.
func (r *Repo) Update(ctx context.Context, id string, fn func(cur *Profile) (Profile, error)) (Profile, error) {
	p, _, err := r.update(ctx, id, fn, updateOpts{})
	return p, err
}

// updateOpts tune one update (UpdateBatch's rows).
type updateOpts struct {
	// assumeNew: the profile is probably not there yet. Call fn(nil),
	// claim its address and create the key straight away, without reading
	// it first; only when the key exists (or the guess fails otherwise:
	// fn refuses, the address is taken) fall back to reading it, as
	// Update does. Two round trips instead of three for a new profile,
	// five instead of two for one that exists.
	assumeNew bool
	// owned, when set, is called when an address being claimed belongs to
	// the profile owner, before that profile is looked at; it returns
	// true when it waited for something (the entry is read again then).
	// It must return false once nothing is left to wait for.
	owned func(owner string) bool
}

// update is Update with o; existed reports whether the profile was there
// before.
func (r *Repo) update(ctx context.Context, id string, fn func(cur *Profile) (Profile, error), o updateOpts) (stored Profile, existed bool, err error) {
	guess := o.assumeNew
	// spec is an address claimed for the guess that the profile finally
	// stored may not have: released at the end unless it is kept.
	// curEmail is the address of the profile last read.
	spec, curEmail := "", ""
	defer func() {
		if spec != "" && !strings.EqualFold(spec, stored.Email) && !strings.EqualFold(spec, curEmail) {
			r.releaseEmail(ctx, spec, id)
		}
	}()
	for range 20 {
		var curp *Profile
		var rev uint64
		if !guess {
			cur, rv, err := r.get(ctx, id)
			switch {
			case err == nil:
				curp, rev, curEmail = &cur, rv, cur.Email
			case errors.Is(err, ErrNotFound):
				curEmail = ""
			default:
				return Profile{}, false, err
			}
		}
		next, err := fn(curp)
		if err == nil {
			next.Normalize()
			if next.ID != id {
				err = fmt.Errorf("%w: id: %q changed to %q", ErrInvalid, id, next.ID)
			} else {
				err = next.Validate()
			}
		}
		if err != nil {
			if guess {
				guess = false // fn may answer differently for the profile that is there
				continue
			}
			return Profile{}, curp != nil, err
		}
		next.UpdatedAt = r.now().UTC()
		oldEmail := ""
		if curp != nil {
			oldEmail = curp.Email
		}
		if next.Email != "" && !strings.EqualFold(next.Email, oldEmail) {
			if err := r.claimEmail(ctx, next.Email, id, o.owned); err != nil {
				if guess && errors.Is(err, ErrEmailTaken) {
					guess = false // the stored profile may keep its own address
					continue
				}
				return Profile{}, curp != nil, err
			}
			if guess {
				spec = next.Email
			}
		}
		data, err := json.Marshal(next)
		if err != nil {
			return Profile{}, curp != nil, fmt.Errorf("profiles: encode %q: %w", id, err)
		}
		if curp == nil {
			_, err = r.kv.Create(ctx, profileKey(id), data)
		} else {
			_, err = r.kv.Update(ctx, profileKey(id), data, rev)
		}
		if err != nil {
			if errors.Is(err, jetstream.ErrKeyExists) || bus.IsWrongRevision(err) {
				guess = false
				continue // changed meanwhile, or there all along: read it
			}
			return Profile{}, curp != nil, fmt.Errorf("profiles: put %q: %w", id, err)
		}
		if oldEmail != "" && !strings.EqualFold(next.Email, oldEmail) {
			r.releaseEmail(ctx, oldEmail, id)
		}
		return next, curp != nil, nil
	}
	return Profile{}, false, fmt.Errorf("profiles: put %q: it keeps changing under concurrent writes", id)
}

// claimEmail makes email point to profile id. An address that points to a
// profile which no longer has it (left by an interrupted write) is taken.
// owned, when set, is called as updateOpts.owned says.
func (r *Repo) claimEmail(ctx context.Context, email, id string, owned func(string) bool) error {
	k := emailKey(email)
	for attempt, waits := 0, 0; attempt < 5; attempt++ {
		_, err := r.emails.Create(ctx, k, []byte(id))
		if err == nil {
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return fmt.Errorf("profiles: claim address for %q: %w", id, err)
		}
		e, err := r.emails.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("profiles: claim address for %q: %w", id, err)
		}
		owner := string(e.Value())
		if owner == id {
			return nil
		}
		if owned != nil && waits < 64 && owned(owner) {
			waits++
			attempt--
			continue // the owner's write ended meanwhile: read the entry again
		}
		other, _, gerr := r.get(ctx, owner)
		if gerr == nil && strings.EqualFold(other.Email, email) {
			return &fieldError{field: "email", err: fmt.Errorf("%w: email: %w", ErrInvalid, ErrEmailTaken)}
		}
		if gerr != nil && !errors.Is(gerr, ErrNotFound) {
			return fmt.Errorf("profiles: claim address for %q: %w", id, gerr)
		}
		if _, err := r.emails.Update(ctx, k, []byte(id), e.Revision()); err != nil && !bus.IsWrongRevision(err) {
			return fmt.Errorf("profiles: claim address for %q: %w", id, err)
		}
	}
	return fmt.Errorf("profiles: claim address for %q: it keeps changing", id)
}

// releaseEmail drops email's entry if it still points to id.
func (r *Repo) releaseEmail(ctx context.Context, email, id string) {
	k := emailKey(email)
	e, err := r.emails.Get(ctx, k)
	if err != nil || string(e.Value()) != id {
		return
	}
	if err := r.emails.Purge(ctx, k, jetstream.LastRevision(e.Revision())); err != nil && !bus.IsWrongRevision(err) {
		r.log.Warn("profiles: address index entry not released", "profile_id", id, "err", err)
	}
}

// ByEmail returns the profile with this address, or an error wrapping
// ErrNotFound.
func (r *Repo) ByEmail(ctx context.Context, email string) (Profile, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return Profile{}, fmt.Errorf("profiles: empty address: %w", ErrNotFound)
	}
	e, err := r.emails.Get(ctx, emailKey(email))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Profile{}, fmt.Errorf("profiles: no profile with this address: %w", ErrNotFound)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("profiles: find address: %w", err)
	}
	p, err := r.Get(ctx, string(e.Value()))
	if err != nil {
		return Profile{}, err
	}
	if !strings.EqualFold(strings.TrimSpace(p.Email), email) {
		return Profile{}, fmt.Errorf("profiles: no profile with this address: %w", ErrNotFound)
	}
	return p, nil
}

// Delete erases the profile with id: its value and history are purged
// from the bucket, and its address entry with them. Deleting an unknown
// id is not an error.
func (r *Repo) Delete(ctx context.Context, id string) error {
	p, _, err := r.get(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := r.kv.Purge(ctx, profileKey(id)); err != nil {
		return fmt.Errorf("profiles: erase %q: %w", id, err)
	}
	if p.Email != "" {
		r.releaseEmail(ctx, p.Email, id)
	}
	return nil
}

// Each calls fn with every profile, in no particular order, stopping at
// fn's first error.
func (r *Repo) Each(ctx context.Context, fn func(Profile) error) error {
	ids, err := r.IDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p, err := r.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue // erased meanwhile
		}
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// IDs lists the ids of every profile.
func (r *Repo) IDs(ctx context.Context) ([]string, error) {
	lister, err := r.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("profiles: list: %w", err)
	}
	defer func() { _ = lister.Stop() }()
	var ids []string
	for k := range lister.Keys() {
		if id, ok := bus.UnKeyToken(k); ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// Event is one change seen by Watch.
type Event struct {
	ID       string
	Profile  Profile // zero when Deleted
	Deleted  bool
	Revision uint64
}

// Watch calls fn with every profile as it stands (the initial values),
// then synced (when set) once they are all delivered, then with every
// change as it happens, until ctx is done. A value that does not decode,
// or an fn that panics, is logged and skipped: one bad profile never stops
// a watcher. An error from fn stops the watch and is returned.
func (r *Repo) Watch(ctx context.Context, fn func(Event) error, synced func()) error {
	return r.watch(ctx, fn, synced, nil)
}

// watch is Watch with idle, when set, called once synced whenever
// the changes delivered so far leave none waiting: a watcher that applies
// changes in batches applies what it holds then, or returns how long it
// would rather wait for more (idle is called again then, unless a change
// comes first). An error from idle stops the watch and is returned.
func (r *Repo) watch(ctx context.Context, fn func(Event) error, synced func(), idle func() (time.Duration, error)) error {
	w, err := r.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("profiles: watch: %w", err)
	}
	defer func() { _ = w.Stop() }()
	initial := true
	var again *time.Timer
	var againC <-chan time.Time
	callIdle := func() error {
		wait, err := idle()
		if err != nil {
			return err
		}
		if wait <= 0 {
			againC = nil
			return nil
		}
		if again == nil {
			again = time.NewTimer(wait)
		} else {
			again.Reset(wait)
		}
		againC = again.C
		return nil
	}
	defer func() {
		if again != nil {
			again.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-againC:
			againC = nil
			if err := callIdle(); err != nil {
				return err
			}
		case e, ok := <-w.Updates():
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return errors.New("profiles: watch ended")
			}
			if e == nil {
				if initial {
					initial = false
					if synced != nil {
						synced()
					}
				}
				continue
			}
			if ev, ok := r.event(e); ok {
				if err := r.deliver(fn, ev); err != nil {
					return err
				}
			}
			if idle != nil && !initial && len(w.Updates()) == 0 {
				if err := callIdle(); err != nil {
					return err
				}
			}
		}
	}
}

func (r *Repo) event(e jetstream.KeyValueEntry) (Event, bool) {
	id, ok := bus.UnKeyToken(e.Key())
	if !ok {
		r.log.Warn("profiles: key that no profile id makes, skipped", "key", e.Key())
		return Event{}, false
	}
	ev := Event{ID: id, Revision: e.Revision()}
	if e.Operation() != jetstream.KeyValuePut {
		ev.Deleted = true
		return ev, true
	}
	if err := json.Unmarshal(e.Value(), &ev.Profile); err != nil || ev.Profile.ID != id {
		r.log.Error("profiles: value that is not this id's profile, skipped", "profile_id", id, "revision", e.Revision(), "err", err)
		return Event{}, false
	}
	return ev, true
}

// deliver calls fn, turning a panic into a logged skip.
func (r *Repo) deliver(fn func(Event) error, ev Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("profiles: watcher panicked on a profile; skipped", "profile_id", ev.ID, "revision", ev.Revision,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = nil
		}
	}()
	return fn(ev)
}

// LastRevision is the bucket's latest revision (its stream's last
// sequence): a watcher that has applied it has seen every change made
// before the call.
func (r *Repo) LastRevision(ctx context.Context) (uint64, error) {
	st, err := r.kv.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("profiles: bucket status: %w", err)
	}
	if s, ok := st.(*jetstream.KeyValueBucketStatus); ok {
		return s.StreamInfo().State.LastSeq, nil
	}
	return 0, errors.New("profiles: bucket status without stream info")
}

// History returns the versions of a profile the bucket keeps, oldest
// first (the consent history of a graduate's data export).
func (r *Repo) History(ctx context.Context, id string) ([]Profile, error) {
	entries, err := r.kv.History(ctx, profileKey(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("profiles: history of %q: %w", id, err)
	}
	var out []Profile
	for _, e := range entries {
		if e.Operation() != jetstream.KeyValuePut {
			continue
		}
		var p Profile
		if json.Unmarshal(e.Value(), &p) == nil {
			out = append(out, p)
		}
	}
	return out, nil
}
