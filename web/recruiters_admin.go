package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// RecruiterAdmin adds, lists and removes recruiters' accounts (admin
// token): each recruiter gets a token of their own, for their company.
type RecruiterAdmin interface {
	AddRecruiter(ctx context.Context, name, by string) (token string, err error)
	RecruiterNames(ctx context.Context) ([]string, error)
	RemoveRecruiter(ctx context.Context, name string) (bool, error)
}

// requireRecruiterAdmin accepts only the data dir's admin token.
func (s *Server) requireRecruiterAdmin(w http.ResponseWriter, r *http.Request) (RecruiterAdmin, bool) {
	if !s.requireAdminToken(w, r, "only the admin token manages recruiters") {
		return nil, false
	}
	adm, ok := s.deps.Recruiters.(RecruiterAdmin)
	if !ok {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "recruiters cannot be managed in this process"})
		return nil, false
	}
	return adm, true
}

// recruitersAdd: POST /api/recruiters {"name": "Atlas Data"} → {"name",
// "token"} (the token is shown this once). The name is the company the
// recruiter posts for.
func (s *Server) recruitersAdd(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.requireRecruiterAdmin(w, r)
	if !ok {
		return
	}
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&body); err != nil || strings.TrimSpace(body.Name) == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: `give {"name": "…"} (the company)`, Field: "name"})
		return
	}
	tok, err := adm.AddRecruiter(r.Context(), body.Name, "admin")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error(), Field: "name"})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"name": strings.TrimSpace(body.Name), "token": tok})
}

func (s *Server) recruitersList(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.requireRecruiterAdmin(w, r)
	if !ok {
		return
	}
	names, err := adm.RecruiterNames(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "recruiters unavailable"})
		return
	}
	if names == nil {
		names = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"recruiters": names})
}

func (s *Server) recruitersRemove(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.requireRecruiterAdmin(w, r)
	if !ok {
		return
	}
	removeAccount(w, r, adm.RemoveRecruiter, "recruiter")
}
