package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/web"
)

// Recruiter is a recruiter's account added at run time ("passerelle
// recruiters add"): the name is the company they post for. Only a digest
// of the token is kept.
type Recruiter struct {
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by,omitempty"`
}

// MaxRecruiterName bounds a recruiter's (company's) name.
const MaxRecruiterName = 120

// AddRecruiter creates a recruiter's account for a company and returns
// its token (shown once). Its offers are namespaced by the name's slug, so
// a name whose slug another recruiter (account or configured token)
// already has is refused: one could close the other's offers.
func (a *App) AddRecruiter(ctx context.Context, name, by string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > MaxRecruiterName || strings.ContainsAny(name, "\r\n") {
		return "", fmt.Errorf("recruiter name: 1 to %d characters on one line", MaxRecruiterName)
	}
	slug := web.RecruiterSlug(name)
	taken := func(other string) bool {
		return strings.EqualFold(other, name) || web.RecruiterSlug(other) == slug
	}
	for _, n := range a.cfg.RecruiterTokens {
		if taken(n) {
			return "", fmt.Errorf("a recruiter named %q is configured already (PASSERELLE_RECRUITER_TOKENS)", n)
		}
	}
	list, err := a.Recruiters(ctx)
	if err != nil {
		return "", err
	}
	for _, r := range list {
		if taken(r.Name) {
			return "", fmt.Errorf("a recruiter named %q exists already (remove it first, or give the company's full name)", r.Name)
		}
	}
	tok, err := a.createAccount(ctx, bus.KVRecruiters, Recruiter{Name: name, CreatedAt: time.Now().UTC(), CreatedBy: by})
	if err != nil {
		return "", fmt.Errorf("add recruiter: %w", err)
	}
	a.log.Info("recruiter added", "name", name, "by", by)
	return tok, nil
}

// Recruiters lists the recruiters added at run time, by name.
func (a *App) Recruiters(ctx context.Context) ([]Recruiter, error) {
	entries, err := a.accountEntries(ctx, bus.KVRecruiters)
	if err != nil {
		return nil, err
	}
	var out []Recruiter
	for _, e := range entries {
		var r Recruiter
		if json.Unmarshal(e.value, &r) == nil && r.Name != "" {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(x, y Recruiter) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// RecruiterNames implements web.RecruiterAdmin.
func (a *App) RecruiterNames(ctx context.Context) ([]string, error) {
	rs, err := a.Recruiters(ctx)
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out, err
}

// RemoveRecruiter deletes a recruiter's account: their token and sessions
// stop working (the offers they posted stay until they expire).
func (a *App) RemoveRecruiter(ctx context.Context, name string) (bool, error) {
	return a.removeAccount(ctx, bus.KVRecruiters, name)
}

// RecruiterByToken implements web.RecruiterAccounts.
func (a *App) RecruiterByToken(ctx context.Context, token string) (web.RecruiterAccount, bool) {
	return a.RecruiterByRef(ctx, tokenKey(token))
}

// RecruiterByRef implements web.RecruiterAccounts: the reference is the
// account's key (a digest of its token).
func (a *App) RecruiterByRef(ctx context.Context, ref string) (web.RecruiterAccount, bool) {
	b, ok := a.accountByRef(ctx, bus.KVRecruiters, ref)
	if !ok {
		return web.RecruiterAccount{}, false
	}
	var r Recruiter
	if json.Unmarshal(b, &r) != nil || r.Name == "" {
		return web.RecruiterAccount{}, false
	}
	return web.RecruiterAccount{Name: r.Name, Ref: ref}, true
}
