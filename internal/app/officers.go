package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/web"
)

// Officer is a placement officer added at run time. Only a digest of the
// token is kept: the token is shown once, when the officer is added.
type Officer struct {
	Name string `json:"name"`
	// Cohorts scopes the officer to their school's cohorts (empty: every
	// graduate who consented to be found).
	Cohorts   []string  `json:"cohorts,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by,omitempty"`
}

// MaxOfficerName bounds an officer's name.
const MaxOfficerName = 120

// Bounds of an officer's scope.
const (
	MaxOfficerCohorts = 50
	MaxCohortName     = 200
)

// cleanCohorts trims, checks and deduplicates a scope's cohort names.
func cleanCohorts(cohorts []string) ([]string, error) {
	var out []string
	for _, c := range cohorts {
		c = strings.TrimSpace(c)
		if c == "" || len(c) > MaxCohortName || strings.ContainsAny(c, "\r\n") {
			return nil, fmt.Errorf("cohort %q: 1 to %d characters on one line", c, MaxCohortName)
		}
		if !slices.ContainsFunc(out, func(o string) bool { return profiles.InCohorts(o, []string{c}) }) {
			out = append(out, c)
		}
	}
	if len(out) > MaxOfficerCohorts {
		return nil, fmt.Errorf("at most %d cohorts per officer", MaxOfficerCohorts)
	}
	return out, nil
}

func tokenKey(token string) string {
	d := sha256.Sum256([]byte(token))
	return hex.EncodeToString(d[:])
}

// AddOfficer creates an officer account and returns its token (shown
// once). With cohorts, the officer sees, counts, exports, imports and
// erases only graduates of these cohorts.
func (a *App) AddOfficer(ctx context.Context, name, by string, cohorts []string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > MaxOfficerName || strings.ContainsAny(name, "\r\n") {
		return "", fmt.Errorf("officer name: 1 to %d characters on one line", MaxOfficerName)
	}
	if name == "admin" {
		return "", errors.New(`officer name: "admin" is the data dir's own token`)
	}
	cohorts, err := cleanCohorts(cohorts)
	if err != nil {
		return "", err
	}
	list, err := a.Officers(ctx)
	if err != nil {
		return "", err
	}
	if slices.ContainsFunc(list, func(o Officer) bool { return strings.EqualFold(o.Name, name) }) {
		return "", fmt.Errorf("an officer named %q exists already (remove it first)", name)
	}
	tok, err := a.createAccount(ctx, bus.KVOfficers, Officer{Name: name, Cohorts: cohorts, CreatedAt: time.Now().UTC(), CreatedBy: by})
	if err != nil {
		return "", fmt.Errorf("add officer: %w", err)
	}
	a.log.Info("placement officer added", "name", name, "by", by, "cohorts", cohorts)
	return tok, nil
}

// Officers lists the officers added at run time.
func (a *App) Officers(ctx context.Context) ([]Officer, error) {
	entries, err := a.accountEntries(ctx, bus.KVOfficers)
	if err != nil {
		return nil, err
	}
	var out []Officer
	for _, e := range entries {
		var o Officer
		if json.Unmarshal(e.value, &o) == nil {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(x, y Officer) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// RemoveOfficer deletes an officer's account (their token stops working).
func (a *App) RemoveOfficer(ctx context.Context, name string) (bool, error) {
	return a.removeAccount(ctx, bus.KVOfficers, name)
}

// OfficerByToken implements web.OfficerAccounts.
func (a *App) OfficerByToken(ctx context.Context, token string) (web.OfficerAccount, bool) {
	return a.OfficerByRef(ctx, tokenKey(token))
}

// OfficerByRef implements web.OfficerAccounts: the reference is the
// account's key (a digest of its token).
func (a *App) OfficerByRef(ctx context.Context, ref string) (web.OfficerAccount, bool) {
	b, ok := a.accountByRef(ctx, bus.KVOfficers, ref)
	if !ok {
		return web.OfficerAccount{}, false
	}
	var o Officer
	if json.Unmarshal(b, &o) != nil || o.Name == "" {
		return web.OfficerAccount{}, false
	}
	return web.OfficerAccount{Name: o.Name, Cohorts: o.Cohorts, Ref: ref}, true
}

// OfficerNames lists the names of the officers added at run time.
func (a *App) OfficerNames(ctx context.Context) ([]string, error) {
	os, err := a.Officers(ctx)
	var out []string
	for _, o := range os {
		out = append(out, o.Name)
	}
	return out, err
}

// OfficerScopes lists the officers added at run time with their cohorts
// (web.OfficerAdmin).
func (a *App) OfficerScopes(ctx context.Context) ([]web.OfficerAccount, error) {
	os, err := a.Officers(ctx)
	var out []web.OfficerAccount
	for _, o := range os {
		out = append(out, web.OfficerAccount{Name: o.Name, Cohorts: o.Cohorts})
	}
	return out, err
}
