package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// OfficerAdmin adds, lists and removes placement officers (admin token).
type OfficerAdmin interface {
	AddOfficer(ctx context.Context, name, by string, cohorts []string) (token string, err error)
	OfficerScopes(ctx context.Context) ([]OfficerAccount, error)
	RemoveOfficer(ctx context.Context, name string) (bool, error)
}

// requireAdminToken accepts only the data dir's admin token (an officer's
// token named "admin"); otherwise it answers 401 or 403 with denied.
func (s *Server) requireAdminToken(w http.ResponseWriter, r *http.Request, denied string) bool {
	name, ok := s.requireBearer(w, r, roleOfficer, officerTokenRequired)
	if !ok {
		return false
	}
	if name != "admin" {
		writeJSON(w, http.StatusForbidden, apiError{Error: denied})
		return false
	}
	return true
}

// requireAdmin accepts only the data dir's admin token.
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) (OfficerAdmin, bool) {
	if !s.requireAdminToken(w, r, "only the admin token manages officers") {
		return nil, false
	}
	adm, ok := s.deps.Officers.(OfficerAdmin)
	if !ok {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "officers cannot be managed in this process"})
		return nil, false
	}
	return adm, true
}

// officersAdd: POST /api/officers {"name": "…", "cohorts": ["…"]} →
// {"name", "cohorts", "token"} (the token is shown this once). With
// cohorts, the officer is scoped to them.
func (s *Server) officersAdd(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	var body struct {
		Name    string   `json:"name"`
		Cohorts []string `json:"cohorts"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&body); err != nil || strings.TrimSpace(body.Name) == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: `give {"name": "…"}`, Field: "name"})
		return
	}
	tok, err := adm.AddOfficer(r.Context(), body.Name, "admin", body.Cohorts)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error(), Field: "name"})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"name": strings.TrimSpace(body.Name), "cohorts": body.Cohorts, "token": tok})
}

func (s *Server) officersList(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	accs, err := adm.OfficerScopes(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "officers unavailable"})
		return
	}
	// "officers" keeps the names (as before); "accounts" adds the scopes.
	names := []string{}
	type account struct {
		Name    string   `json:"name"`
		Cohorts []string `json:"cohorts"`
	}
	list := []account{}
	for _, a := range accs {
		names = append(names, a.Name)
		list = append(list, account{a.Name, append([]string{}, a.Cohorts...)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"officers": names, "accounts": list})
}

func (s *Server) officersRemove(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	removeAccount(w, r, adm.RemoveOfficer, "officer")
}

// removeAccount answers DELETE /api/<accounts>/{name} with remove.
func removeAccount(w http.ResponseWriter, r *http.Request, remove func(context.Context, string) (bool, error), what string) {
	removed, err := remove(r.Context(), r.PathValue("name"))
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: what + "s unavailable"})
		return
	}
	if !removed {
		writeJSON(w, http.StatusNotFound, apiError{Error: "no such " + what})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"removed": true})
}
