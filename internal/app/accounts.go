package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// Accounts added at run time (placement officers, recruiters) live in a
// bucket each, keyed by the SHA-256 of their token: the token itself is
// shown once, when the account is created, and never stored.

// accountEntry is one stored account: its key (the token's digest) and
// its JSON.
type accountEntry struct {
	key   string
	value []byte
}

// accountEntries reads every account of bucket.
func (a *App) accountEntries(ctx context.Context, bucket string) ([]accountEntry, error) {
	kv, err := a.js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("%s bucket: %w", bucket, err)
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bucket, err)
	}
	var out []accountEntry
	for k := range keys.Keys() {
		e, err := kv.Get(ctx, k)
		if err != nil {
			continue
		}
		out = append(out, accountEntry{key: k, value: e.Value()})
	}
	return out, nil
}

// createAccount stores account under a new random token's digest and
// returns the token.
func (a *App) createAccount(ctx context.Context, bucket string, account any) (string, error) {
	kv, err := a.js.KeyValue(ctx, bucket)
	if err != nil {
		return "", fmt.Errorf("%s bucket: %w", bucket, err)
	}
	tok := rand.Text() + rand.Text()
	b, err := json.Marshal(account)
	if err != nil {
		return "", err
	}
	if _, err := kv.Create(ctx, tokenKey(tok), b); err != nil {
		return "", err
	}
	return tok, nil
}

// removeAccount purges the accounts of bucket named name (case aside):
// their tokens and sessions stop working.
func (a *App) removeAccount(ctx context.Context, bucket, name string) (bool, error) {
	entries, err := a.accountEntries(ctx, bucket)
	if err != nil {
		return false, err
	}
	kv, err := a.js.KeyValue(ctx, bucket)
	if err != nil {
		return false, fmt.Errorf("%s bucket: %w", bucket, err)
	}
	removed := false
	for _, e := range entries {
		var acc struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(e.value, &acc) == nil && strings.EqualFold(acc.Name, name) {
			if err := kv.Purge(ctx, e.key); err != nil {
				return removed, fmt.Errorf("remove from %s: %w", bucket, err)
			}
			removed = true
		}
	}
	return removed, nil
}

// accountByRef returns the JSON of the account whose key is ref (a
// token's digest).
func (a *App) accountByRef(ctx context.Context, bucket, ref string) ([]byte, bool) {
	if len(ref) != sha256.Size*2 {
		return nil, false
	}
	kv, err := a.js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, false
	}
	e, err := kv.Get(ctx, ref)
	if err != nil {
		if !errors.Is(err, jetstream.ErrKeyNotFound) && !errors.Is(err, jetstream.ErrInvalidKey) {
			a.log.Warn("account lookup", "bucket", bucket, "err", err)
		}
		return nil, false
	}
	return e.Value(), true
}
