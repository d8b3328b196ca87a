package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/passerelle/passerelle/crawler"
)

// SourceAdmin changes the crawl sources at runtime: checks (robots.txt and
// one page, nothing published), enabling or disabling with who did it,
// and sources added by placement officers after a dry run. The Sources
// dependency provides it when it can (internal/app's App does); without
// it these routes answer 503.
type SourceAdmin interface {
	CheckSources(ctx context.Context, names []string, force bool) ([]crawler.CheckReport, error)
	SetSourceEnabled(ctx context.Context, name string, enabled bool, by string) (crawler.SourceRecord, error)
	AddSource(ctx context.Context, req crawler.AddRequest) (crawler.CheckReport, error)
}

// sourceRoutes registers the sources API and the officers' sources page.
func (s *Server) sourceRoutes() {
	s.mux.HandleFunc("POST /api/sources/check", s.apiCheckSources)
	s.mux.HandleFunc("POST /api/sources", s.apiAddSource)
	s.mux.HandleFunc("POST /api/sources/{name}/enable", s.apiEnableSource(true))
	s.mux.HandleFunc("POST /api/sources/{name}/disable", s.apiEnableSource(false))
	s.mux.HandleFunc("GET /officers/sources", s.officerSourcesPage)
	s.mux.HandleFunc("POST /officers/sources/check", s.officerSourcesPost(true))
	s.mux.HandleFunc("POST /officers/sources/add", s.officerSourcesPost(false))
}

func (s *Server) sourceAdmin() (SourceAdmin, bool) {
	a, ok := s.deps.Sources.(SourceAdmin)
	return a, ok
}

// addSourceBody is the JSON of POST /api/sources.
type addSourceBody struct {
	URL          string `json:"url"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	By           string `json:"by"`
	EmailAllowed bool   `json:"email_allowed"`
	DryRun       bool   `json:"dry_run"`
}

// decodeSmall reads a small JSON body; it answers the error itself.
func (s *Server) decodeSmall(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "body is not the expected JSON object: " + err.Error()})
		return false
	}
	return true
}

// apiCheckSources answers POST /api/sources/check {"names":[…],"force":false}.
func (s *Server) apiCheckSources(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.sourceAdmin()
	if _, ok := s.officerAPI(w, r, ok, "source checks are not available in this process"); !ok {
		return
	}
	var body struct {
		Names []string `json:"names"`
		Force bool     `json:"force"`
	}
	if !s.decodeSmall(w, r, &body) {
		return
	}
	reps, err := adm.CheckSources(r.Context(), body.Names, body.Force)
	if errors.Is(err, crawler.ErrUnknownSource) {
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error()})
		return
	}
	if err != nil {
		s.cfg.Logger.Error("check sources", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "the check could not run"})
		return
	}
	writeJSON(w, http.StatusOK, reps)
}

// apiEnableSource answers POST /api/sources/{name}/enable|disable
// {"by":"…"}; by defaults to the token's name.
func (s *Server) apiEnableSource(enabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		adm, ok := s.sourceAdmin()
		u, ok := s.officerAPIWho(w, r, ok, "sources cannot be changed from this process")
		// Switching a source on or off changes what every school's
		// graduates receive: not for an officer scoped to one school.
		if !ok || !allSchools(w, u) {
			return
		}
		who := u.name
		var body struct {
			By string `json:"by"`
		}
		if !s.decodeSmall(w, r, &body) {
			return
		}
		by := strings.TrimSpace(body.By)
		if by == "" {
			by = who
		}
		rec, err := adm.SetSourceEnabled(r.Context(), r.PathValue("name"), enabled, by)
		switch {
		case errors.Is(err, crawler.ErrUnknownSource):
			writeJSON(w, http.StatusNotFound, apiError{Error: err.Error()})
			return
		case err != nil:
			s.cfg.Logger.Error("enable source", "source", r.PathValue("name"), "err", err)
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "the change could not be recorded"})
			return
		}
		s.cfg.Logger.Info("source enabled or disabled", "source", rec.Name, "enabled", enabled, "by", by, "token", who)
		writeJSON(w, http.StatusOK, rec)
	}
}

// apiAddSource answers POST /api/sources: check, dry run and add.
func (s *Server) apiAddSource(w http.ResponseWriter, r *http.Request) {
	adm, ok := s.sourceAdmin()
	who, ok := s.officerAPI(w, r, ok, "sources cannot be added from this process")
	if !ok {
		return
	}
	var body addSourceBody
	if !s.decodeSmall(w, r, &body) {
		return
	}
	if strings.TrimSpace(body.By) == "" {
		body.By = who
	}
	rep, err := adm.AddSource(r.Context(), crawler.AddRequest{URL: body.URL, Name: body.Name, Kind: body.Kind,
		By: body.By, EmailAllowed: body.EmailAllowed, DryRun: body.DryRun})
	status := http.StatusOK
	if !body.DryRun && err == nil {
		status = http.StatusCreated
	}
	switch {
	case errors.Is(err, crawler.ErrInvalidSource):
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	case errors.Is(err, crawler.ErrNameTaken):
		writeJSON(w, http.StatusConflict, apiError{Error: err.Error()})
		return
	case errors.Is(err, crawler.ErrCheckFailed):
		status = http.StatusUnprocessableEntity
	case err != nil:
		s.cfg.Logger.Error("add source", "url", body.URL, "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "the source could not be added"})
		return
	}
	writeJSON(w, status, rep)
}

// sourcesView is what the officers' sources page shows.
type sourcesView struct {
	Sources []sourceRow
	Kinds   []string
	// The form as typed, and the check's result when there is one.
	URL, Name, Kind string
	EmailAllowed    bool
	Check           *crawler.CheckReport
	Added           string
}

// sourceRow is one line of the sources table.
type sourceRow struct {
	crawler.SourceStatus
	LastRunText, AddedAtText, EnabledAtText string
}

// sourcesPage is the page's template data: the shared part and the view.
type sourcesPage struct {
	pageData
	Src *sourcesView
}

func (s *Server) officerSourcesPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	name, binding, ok := s.auth(r, roleOfficer)
	if !ok {
		http.Redirect(w, r, "/officers/login?lang="+l, http.StatusSeeOther)
		return
	}
	if _, ok := s.sourceAdmin(); !ok {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	d := s.sourcesData(w, r, name, binding)
	if added := r.URL.Query().Get("added"); added != "" && len(added) <= 63 {
		d.Src.Added = added
		d.Notice = "src_added"
	}
	s.renderSources(w, r, http.StatusOK, d)
}

// officerSourcesPost checks (dryRun) or adds the careers page of the form.
func (s *Server) officerSourcesPost(dryRun bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		l := locale(r)
		name, binding, ok := s.auth(r, roleOfficer)
		if !ok {
			http.Redirect(w, r, "/officers/login?lang="+l, http.StatusSeeOther)
			return
		}
		adm, ok := s.sourceAdmin()
		if !ok {
			s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
			return
		}
		d := s.sourcesData(w, r, name, binding)
		f := r.PostForm
		d.Src.URL, d.Src.Name, d.Src.Kind = strings.TrimSpace(f.Get("src_url")), strings.TrimSpace(f.Get("src_name")), strings.TrimSpace(f.Get("src_kind"))
		d.Src.EmailAllowed = f.Get("src_email") == "1"
		if !s.checkCSRF(r, binding) {
			d.Errors[""] = "err_csrf"
			s.renderSources(w, r, http.StatusForbidden, d)
			return
		}
		if d.Src.Kind != "" && !slices.Contains(d.Src.Kinds, d.Src.Kind) {
			d.Errors["src_kind"] = "err_choice"
			s.renderSources(w, r, http.StatusBadRequest, d)
			return
		}
		if d.Src.URL == "" {
			d.Errors["src_url"] = "err_required"
			s.renderSources(w, r, http.StatusBadRequest, d)
			return
		}
		rep, err := adm.AddSource(r.Context(), crawler.AddRequest{URL: d.Src.URL, Name: d.Src.Name, Kind: d.Src.Kind,
			By: name, EmailAllowed: d.Src.EmailAllowed, DryRun: dryRun})
		switch {
		case errors.Is(err, crawler.ErrInvalidSource):
			field := "url"
			if strings.Contains(err.Error(), "name:") {
				field = "name"
			}
			d.Errors["src_"+field] = "err_src_" + field
			s.renderSources(w, r, http.StatusBadRequest, d)
			return
		case errors.Is(err, crawler.ErrNameTaken):
			d.Errors["src_name"] = "err_src_taken"
			s.renderSources(w, r, http.StatusConflict, d)
			return
		case errors.Is(err, crawler.ErrCheckFailed):
			d.Src.Check = &rep
			s.renderSources(w, r, http.StatusUnprocessableEntity, d)
			return
		case err != nil:
			s.cfg.Logger.Error("officer add source", "url", d.Src.URL, "err", err)
			d.Errors[""] = "err_unavailable"
			s.renderSources(w, r, http.StatusServiceUnavailable, d)
			return
		}
		if dryRun {
			d.Src.Check = &rep
			if d.Src.Name == "" {
				d.Src.Name = rep.Source // keep the derived name for the add
			}
			s.renderSources(w, r, http.StatusOK, d)
			return
		}
		s.cfg.Logger.Info("source added by an officer", "source", rep.Source, "by", name)
		http.Redirect(w, r, "/officers/sources?"+url.Values{"lang": {l}, "added": {rep.Source}}.Encode(), http.StatusSeeOther)
	}
}

// sourcesData fills the page's shared part and the sources table.
func (s *Server) sourcesData(w http.ResponseWriter, r *http.Request, user, binding string) sourcesPage {
	l := locale(r)
	d := sourcesPage{pageData: pageData{L: l, User: user, Self: "/officers/sources", Errors: map[string]string{}}, Src: &sourcesView{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	d.Src.Kinds = append([]string{"auto"}, crawlerKinds()...)
	if s.deps.Sources != nil {
		st, err := s.deps.Sources.SourceStatus(r.Context())
		if err != nil {
			s.cfg.Logger.Error("source status", "err", err)
		}
		for _, x := range st {
			row := sourceRow{SourceStatus: x}
			row.LastRunText = dateText(x.LastRun)
			row.AddedAtText = dateText(x.AddedAt)
			row.EnabledAtText = dateText(x.EnabledAt)
			d.Src.Sources = append(d.Src.Sources, row)
		}
	}
	return d
}

func crawlerKinds() []string {
	var out []string
	for _, f := range crawler.Formats() {
		out = append(out, f.Name)
	}
	return out
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func (s *Server) renderSources(w http.ResponseWriter, r *http.Request, status int, d sourcesPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, "officers_sources.html", d); err != nil {
		s.cfg.Logger.Error("render page", "page", "officers_sources.html", "err", err, "path", r.URL.Path)
	}
}
