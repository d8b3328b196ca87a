package web

import (
	"errors"
	"net/http"

	"github.com/passerelle/passerelle/profiles"
)

// MaxImportUpload caps a spreadsheet uploaded on the officers' page.
const MaxImportUpload = 16 << 20

// importView is the result of an import from the officers' page.
type importView struct {
	profiles.ImportReport
	Lines   []string // the rejected lines, as the importer names them
	More    int      // rejected lines not listed
	Ignored []string // columns not imported
}

// officersImport takes a spreadsheet (CSV) or JSON lines uploaded from the
// officers' page; with "dry_run" nothing is stored. The page says what was
// (or would be) created and updated, and lists the rejected rows.
func (s *Server) officersImport(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	u, binding, ok := s.authWho(r, roleOfficer)
	if !ok {
		http.Redirect(w, r, "/officers/login?lang="+l, http.StatusSeeOther)
		return
	}
	name := u.name
	d := pageData{L: l, User: name, Scope: u.cohorts, Self: "/officers", Errors: map[string]string{}, Search: &searchView{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportUpload+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			d.Errors["file"] = "err_import_too_large"
			s.render(w, http.StatusRequestEntityTooLarge, "officers.html", d)
			return
		}
		d.Errors["file"] = "err_bad_form"
		s.render(w, http.StatusBadRequest, "officers.html", d)
		return
	}
	defer r.MultipartForm.RemoveAll()
	if !s.checkCSRF(r, binding) {
		d.Errors[""] = "err_csrf"
		s.render(w, http.StatusForbidden, "officers.html", d)
		return
	}
	if s.deps.Importer == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		d.Errors["file"] = "err_required"
		s.render(w, http.StatusUnprocessableEntity, "officers.html", d)
		return
	}
	defer f.Close()
	rep, err := s.runImport(r.Context(), u, f, r.PostForm.Get("dry_run") == "1")
	iv := &importView{ImportReport: rep}
	for i, e := range rep.Errors {
		if i == 20 {
			break
		}
		// In the page's language, with the line and column.
		iv.Lines = append(iv.Lines, e.Localized(l))
	}
	iv.More = rep.Rejected - len(iv.Lines)
	if rep.CSV != nil {
		iv.Ignored = rep.CSV.IgnoredIn(l)
	}
	d.Import = iv
	status := http.StatusOK
	var notCSV *profiles.NotCSVError
	switch {
	case errors.As(err, &notCSV):
		d.Errors["file"] = "err_import_not_csv"
		status = http.StatusUnprocessableEntity
	case errors.Is(err, profiles.ErrWorkbook) && rep.Imported == 0:
		d.Errors["file"] = "err_import_workbook"
		status = http.StatusUnprocessableEntity
	case errors.Is(err, profiles.ErrCSVHeader):
		d.Errors["file"] = "err_import_header"
		status = http.StatusUnprocessableEntity
	case err != nil:
		s.cfg.Logger.Error("import from the officers' page", "err", err)
		d.Errors[""] = "err_unavailable"
		status = http.StatusServiceUnavailable
	case rep.Rejected > 0:
		status = http.StatusUnprocessableEntity
	}
	s.cfg.Logger.Info("import from the officers' page", "officer", name, "imported", rep.Imported, "rejected", rep.Rejected, "dry_run", rep.DryRun)
	s.render(w, status, "officers.html", d)
}
