package web

import (
	"context"
	"encoding/json"
	"net/http"
)

// MyDataService gives a graduate everything held about them and erases
// them (with a confirmation mail).
type MyDataService interface {
	MyDataExport(ctx context.Context, profileID string) (any, error)
	EraseMe(ctx context.Context, profileID string) error
}

// myDataDownload answers the graduate's data as a JSON file.
func (s *Server) myDataDownload(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return
	}
	if s.deps.MyData == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	d, err := s.deps.MyData.MyDataExport(r.Context(), p.ID)
	if err != nil {
		s.cfg.Logger.Error("export my data", "profile_id", p.ID, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="passerelle-mes-donnees.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		s.cfg.Logger.Warn("write my data", "err", err)
	}
}

// erasePage asks the graduate to confirm the erasure.
func (s *Server) erasePage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return
	}
	l := profileLocale(r, p)
	d := pageData{L: l, Self: "/profile/erase?" + r.URL.RawQuery, Token: tok, Email: p.Email, State: "confirm"}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "erase|"+tok)
	s.render(w, http.StatusOK, "erase.html", d)
}

func (s *Server) erasePost(w http.ResponseWriter, r *http.Request) {
	p, _, ok := s.graduatePost(w, r, "erase|")
	if !ok {
		return
	}
	l := profileLocale(r, p)
	if s.deps.MyData == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	if err := s.deps.MyData.EraseMe(r.Context(), p.ID); err != nil {
		s.cfg.Logger.Error("erase by the graduate", "profile_id", p.ID, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	s.cfg.Logger.Info("profile erased by the graduate", "profile_id", p.ID)
	s.render(w, http.StatusOK, "erase.html", pageData{L: l, Self: "/?lang=" + l, State: "done"})
}
